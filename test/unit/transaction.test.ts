/** Transactions of concurrent requests on embedded SQLite take turns on its one connection; elsewhere they run side by side. */
import { DataSource } from 'typeorm';
import { inTransaction } from '../../src/core/db/transaction';
import { openOwnDatabase } from '../helpers/database';

let ds: DataSource;
beforeAll(async () => {
  ds = await openOwnDatabase('transactions');
});
afterAll(async () => {
  await ds.destroy();
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

it('runs two transactions that await real I/O inside them, each all-or-nothing', async () => {
  await ds.query('CREATE TABLE IF NOT EXISTS tx_probe (k VARCHAR(8), v INT)');
  await ds.query('DELETE FROM tx_probe');
  const ctx = { ds, transaction: undefined };
  const write = (k: string, fail: boolean) =>
    inTransaction(ctx, async (m) => {
      await m.query('INSERT INTO tx_probe (k, v) VALUES (?, 1)', [k]);
      await nextTurn(); // the other request runs meanwhile
      await m.query('UPDATE tx_probe SET v = 2 WHERE k = ?', [k]);
      if (fail) throw new Error('rolled back');
    });
  const results = await Promise.allSettled([write('kept', false), write('gone', true)]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
  expect(await ds.query('SELECT k, v FROM tx_probe ORDER BY k')).toEqual([{ k: 'kept', v: 2 }]);
  await ds.query('DROP TABLE tx_probe');
});
