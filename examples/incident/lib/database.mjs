// The orders database: the PostgreSQL server in DATABASE_URL when set (in a schema of its own,
// dropped afterwards), else PGlite, an embedded PostgreSQL, served over the Postgres wire
// protocol so that orders uses the real `pg` driver and Threadline's pg instrumentation.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from './processes.mjs';

async function useServer(url) {
  const schema = `incident_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    description: `PostgreSQL at ${scoped.host} (schema ${schema})`,
    stop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function useEmbedded() {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 16 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    description: `embedded PostgreSQL (PGlite) on 127.0.0.1:${port}`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

export function startDatabase() {
  return process.env.DATABASE_URL ? useServer(process.env.DATABASE_URL) : useEmbedded();
}
