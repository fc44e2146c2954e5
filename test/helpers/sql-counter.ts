/** Counts the SQL statements a data source runs while `fn` runs (TypeORM logs every query through its logger). */
import { DataSource } from 'typeorm';

export async function countStatements<T>(ds: DataSource, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const original = ds.logger;
  ds.logger = new Proxy(original, {
    get(target, prop, receiver) {
      if (prop === 'logQuery') return (query: string) => statements.push(query);
      return Reflect.get(target, prop, receiver);
    },
  });
  try {
    return { result: await fn(), statements };
  } finally {
    ds.logger = original;
  }
}
