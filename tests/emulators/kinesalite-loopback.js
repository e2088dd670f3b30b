#!/usr/bin/env node
'use strict';

// kinesalite on 127.0.0.1 only (its own CLI listens on every interface). Takes kinesalite's options:
//   node kinesalite-loopback.js --port 4567 [--path DIR] [--createStreamMs 50] [--deleteStreamMs 50]
//                                [--updateStreamMs 50] [--shardLimit 50]
const minimist = require('minimist');
const kinesalite = require('kinesalite');

const args = minimist(process.argv.slice(2), { string: ['path'] });
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('usage: node kinesalite-loopback.js --port PORT [--path DIR] [--createStreamMs N] ...');
  process.exit(2);
}
const options = { path: args.path || undefined };
for (const name of ['createStreamMs', 'deleteStreamMs', 'updateStreamMs', 'shardLimit']) {
  if (args[name] !== undefined) options[name] = Number(args[name]);
}

const server = kinesalite(options);
server.on('error', err => {
  console.error(`kinesalite: cannot listen on 127.0.0.1:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
