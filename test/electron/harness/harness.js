// Runs the in-editor suite named by EC2IC_SUITE and writes {results} or {error} to EC2IC_SUITE_RESULTS.
// Does nothing when those variables are not set, so an editor that happens to load it is unaffected.
const { writeFileSync } = require('node:fs');

exports.activate = async function activate() {
  const suite = process.env.EC2IC_SUITE;
  const out = process.env.EC2IC_SUITE_RESULTS;
  if (!suite || !out) return;
  try {
    const results = await require(suite).runAndReport();
    writeFileSync(out, JSON.stringify({ results }));
  } catch (err) {
    writeFileSync(out, JSON.stringify({ error: err && err.stack ? err.stack : String(err) }));
  }
};

exports.deactivate = function deactivate() {};
