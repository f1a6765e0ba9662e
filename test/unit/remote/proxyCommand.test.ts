import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { proxyCommandLine, type ProxyRuntime, quotePosix, quoteWindows } from '../../../src/core/remote/proxyCommand';

/** What ssh does to a ProxyCommand before running it (only %% matters here: we write no other token). */
function sshExpand(command: string): string {
  return command.replace(/%%/g, '%');
}

/** open-remote-ssh's ProxyCommand splitter: whitespace separates, double quotes group, backslash escapes. */
function openRemoteSshSplit(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let has = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      cur += value[++i];
      has = true;
    } else if (ch === '"') {
      quoted = !quoted;
      has = true;
    } else if (!quoted && /\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** The C runtime's (CommandLineToArgvW) parsing of one command line, for the words after cmd's `&&`. */
function windowsArgv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const ch = line[i];
      if (ch === '\\') {
        let n = 0;
        while (line[i] === '\\') {
          n++;
          i++;
        }
        if (line[i] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) arg += '"';
          else quoted = !quoted;
        } else {
          arg += '\\'.repeat(n);
          i--;
        }
      } else if (ch === '"') {
        quoted = !quoted;
      } else if (!quoted && (ch === ' ' || ch === '\t')) {
        break;
      } else {
        arg += ch;
      }
    }
    out.push(arg);
  }
  return out;
}

const args = ['proxy', 'i-0123456789abcdef0', '--user', 'ec2-user', '--region', 'us-east-1', '--profile', 'my team (dev)', '--public-key', '/k/id.pub'];

describe('ProxyCommand on Linux and macOS', () => {
  const mac: ProxyRuntime = {
    executable: '/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper (Plugin).app/Contents/MacOS/Code Helper (Plugin)',
    electron: true,
    cliScript: '/Users/ana/.vscode/extensions/x/dist/cli.js',
  };

  test('the editor binary runs the script under ELECTRON_RUN_AS_NODE=1, set by env in the command itself', () => {
    assert.equal(
      proxyCommandLine(mac, ['proxy', 'i-0123456789abcdef0', '--user', 'ec2-user'], 'darwin'),
      'env ELECTRON_RUN_AS_NODE=1 "/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper (Plugin).app/Contents/MacOS/Code Helper (Plugin)" /Users/ana/.vscode/extensions/x/dist/cli.js proxy i-0123456789abcdef0 --user ec2-user',
    );
  });

  test('plain Node (code-server, the CLI) needs no variable', () => {
    const node: ProxyRuntime = { executable: '/usr/bin/node', electron: false, cliScript: '/opt/ec2ic/cli.js' };
    assert.equal(proxyCommandLine(node, ['proxy', 'i-0123456789abcdef0'], 'linux'), '/usr/bin/node /opt/ec2ic/cli.js proxy i-0123456789abcdef0');
  });

  test('% becomes %% (ssh expands tokens), and $ ` " \\ are escaped inside double quotes', () => {
    assert.equal(quotePosix('/home/a/100% "sure" $HOME `id` \\n'), '"/home/a/100% \\"sure\\" \\$HOME \\`id\\` \\\\n"');
    const runtime: ProxyRuntime = { executable: '/opt/50%/node', electron: false, cliScript: '/opt/cli.js' };
    assert.equal(proxyCommandLine(runtime, [], 'linux'), '/opt/50%%/node /opt/cli.js');
  });

  test('open-remote-ssh splits it back into the same words', () => {
    const line = sshExpand(proxyCommandLine(mac, args, 'darwin'));
    assert.deepEqual(openRemoteSshSplit(line), ['env', 'ELECTRON_RUN_AS_NODE=1', mac.executable, mac.cliScript, ...args]);
  });

  for (const shell of ['/bin/sh', '/bin/bash']) {
    test(`${shell} -c "exec …" runs the program with exactly these words and the variable set`, async () => {
      // A stand-in for the editor binary, at a path full of characters shells care about.
      const dir = join(await fs.mkdtemp(join(tmpdir(), 'ec2ic-quote-')), `Code 100% "it's" $HOME \`x\` (1) & ; | \\ *`);
      await fs.mkdir(dir);
      const fake = join(dir, 'Code Helper');
      await fs.writeFile(fake, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify([process.env.ELECTRON_RUN_AS_NODE, ...process.argv.slice(2)]));\n`, { mode: 0o755 });
      const runtime: ProxyRuntime = { executable: fake, electron: true, cliScript: join(dir, 'cli.js') };
      const hostile = [...args, '--profile', `o'brien "x" $PATH %h`];
      const command = sshExpand(proxyCommandLine(runtime, hostile, 'linux'));
      const out = execFileSync(shell, ['-c', `exec ${command}`], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/nowhere' } });
      assert.deepEqual(JSON.parse(out), ['1', runtime.cliScript, ...hostile]);
    });
  }

  test('a line break is refused', () => {
    assert.throws(() => quotePosix('a\nb'), /line break/);
  });
});

describe('ProxyCommand on Windows (Win32-OpenSSH runs it with CreateProcess, no shell)', () => {
  const code: ProxyRuntime = {
    executable: 'C:\\Users\\Ana Lopez\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe',
    electron: true,
    cliScript: 'C:\\Users\\Ana Lopez\\AppData\\Roaming\\Code\\User\\globalStorage\\ec2ic.ec2-instance-connect\\remote-ssh\\bin\\cli.js',
    comspec: 'C:\\WINDOWS\\system32\\cmd.exe',
  };

  test('cmd.exe by its full path sets the variable, then runs the editor with forward-slash paths', () => {
    assert.equal(
      proxyCommandLine(code, ['proxy', 'i-0123456789abcdef0', '--public-key', 'C:/Users/Ana Lopez/k.pub'], 'win32'),
      '"C:/WINDOWS/system32/cmd.exe" /d /v:off /c set ELECTRON_RUN_AS_NODE=1&& "C:/Users/Ana Lopez/AppData/Local/Programs/Microsoft VS Code/Code.exe" ' +
        '"C:/Users/Ana Lopez/AppData/Roaming/Code/User/globalStorage/ec2ic.ec2-instance-connect/remote-ssh/bin/cli.js" proxy i-0123456789abcdef0 ' +
        '--public-key "C:/Users/Ana Lopez/k.pub"',
    );
  });

  test('the words after && parse back to the intended arguments (C runtime rules)', () => {
    const line = sshExpand(proxyCommandLine(code, args, 'win32'));
    const program = line.slice(line.indexOf('&& ') + 3);
    assert.deepEqual(windowsArgv(program), [code.executable.replace(/\\/g, '/'), code.cliScript.replace(/\\/g, '/'), ...args]);
  });

  test('open-remote-ssh splits it into cmd.exe and words Node re-quotes correctly', () => {
    const line = sshExpand(proxyCommandLine(code, args, 'win32'));
    const words = openRemoteSshSplit(line);
    assert.deepEqual(words.slice(0, 6), ['C:/WINDOWS/system32/cmd.exe', '/d', '/v:off', '/c', 'set', 'ELECTRON_RUN_AS_NODE=1&&']);
    assert.deepEqual(words.slice(6), [code.executable.replace(/\\/g, '/'), code.cliScript.replace(/\\/g, '/'), ...args]);
  });

  test('plain Node is started directly, its path quoted', () => {
    const node: ProxyRuntime = { executable: 'C:\\Program Files\\nodejs\\node.exe', electron: false, cliScript: 'C:\\ec2ic\\cli.js' };
    assert.equal(proxyCommandLine(node, ['proxy'], 'win32'), '"C:/Program Files/nodejs/node.exe" C:/ec2ic/cli.js proxy');
  });

  test('% is doubled for ssh; a double quote cannot be written; trailing backslashes are doubled', () => {
    assert.equal(proxyCommandLine({ ...code, cliScript: 'C:\\100%\\cli.js' }, [], 'win32').includes('C:/100%%/cli.js'), true);
    assert.throws(() => quoteWindows('my "profile"'), /double quote/);
    assert.equal(quoteWindows('a b\\'), '"a b\\\\"');
    assert.deepEqual(windowsArgv(quoteWindows('a b\\')), ['a b\\']);
  });

  test('without ComSpec, the standard cmd.exe path', () => {
    assert.match(proxyCommandLine({ ...code, comspec: undefined }, [], 'win32'), /^"C:\/Windows\/System32\/cmd\.exe" \/d/);
  });
});
