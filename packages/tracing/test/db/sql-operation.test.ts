import { dbSpanName, parseSqlOperation } from '../../src/db/sql-operation';

describe('parseSqlOperation', () => {
  it.each([
    ['SELECT id FROM orders WHERE id = ?', 'SELECT', 'orders'],
    ['select * from public.orders o join items i on i.order_id = o.id', 'SELECT', 'public.orders'],
    ['SELECT * FROM "Order Lines" WHERE id = $1', 'SELECT', '"Order Lines"'],
    ['SELECT * FROM `test`.`orders`', 'SELECT', '`test`.`orders`'],
    ['SELECT ? AS n', 'SELECT', undefined],
    ['SELECT * FROM (SELECT ? AS n) AS sub', 'SELECT', undefined],
    ['INSERT INTO orders (id) VALUES (?)', 'INSERT', 'orders'],
    ['UPDATE ONLY orders SET total = ? WHERE id = ?', 'UPDATE', 'orders'],
    ['DELETE FROM orders WHERE id = ?', 'DELETE', 'orders'],
    ['CREATE TABLE IF NOT EXISTS orders (id int)', 'CREATE', 'orders'],
    ['DROP TABLE IF EXISTS items, orders', 'DROP', 'items'],
    ['TRUNCATE TABLE orders', 'TRUNCATE', 'orders'],
    ['BEGIN;', 'BEGIN', undefined],
    ['  commit', 'COMMIT', undefined],
    ['', undefined, undefined],
  ])('%s', (text, operation, collection) => {
    expect(parseSqlOperation(text)).toEqual({ operation, collection });
  });

  it('names the span {operation} {table}, else the operation, else the system', () => {
    expect(dbSpanName('SELECT', 'orders', 'postgresql')).toBe('SELECT orders');
    expect(dbSpanName('BEGIN', undefined, 'postgresql')).toBe('BEGIN');
    expect(dbSpanName(undefined, undefined, 'mysql')).toBe('mysql');
  });
});
