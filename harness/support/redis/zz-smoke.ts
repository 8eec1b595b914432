import { startRedisCluster } from './redis-cluster.js';
let t = Date.now();
const c = await startRedisCluster();
console.log('cluster up', Date.now() - t);
const m = await c.masterFor('{abc}:x'); console.log('master', m.port);
await m.kill(); t = Date.now();
await c.waitHealthy('{abc}:x'); console.log('cluster recovered', Date.now() - t, (await c.masterFor('{abc}:x')).port);
await c.remove();
