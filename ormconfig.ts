/** The DataSource the TypeORM CLI uses (`npm run typeorm -- migration:run`). Configured like the server. */
import { loadConfig } from './src/app/config';
import { createDataSource } from './src/core/db/data-source';

export default createDataSource(loadConfig().database);
