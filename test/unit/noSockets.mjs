// Loaded before every unit test file (scripts/test.mjs): a unit test that opens a socket fails at once, saying
// where such a test belongs. Child processes a test starts are not affected.
import net from 'node:net';

const refuse = (what) =>
  function () {
    throw new Error(`unit tests open no sockets (${what}): a test that needs a server belongs in test/integration`);
  };
net.Socket.prototype.connect = refuse('connect');
net.Server.prototype.listen = refuse('listen');
