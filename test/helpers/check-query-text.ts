/**
 * Jest setup for every test file: each remembered query text is compared with a fresh build
 * (core/db/query-text), so every query the suite runs checks that cache's key.
 */
import { checkQueryTextOnHits } from '../../src/core/db/query-text';

checkQueryTextOnHits();
