/* A Chromium whose process a test can kill and start again on the same profile, to prove
 * that what the page wrote to IndexedDB / localStorage survives a crash (a power cut, the
 * task manager's “end process”) and not only a reload or a graceful close.
 *
 *   const { launchProfile, relaunch, saveDownload } = require('./browser');
 *   const first = await launchProfile();              // fresh temp profile
 *   const page = await first.context.newPage();       // 1366×768, downloads accepted
 *   …write something…
 *   await first.kill();                               // SIGKILL to the browser and all its children
 *   const second = await relaunch(first.userDataDir); // same profile, no lock, no restore prompt
 *   …read it back…
 *   await second.close();                             // graceful (Browser.close, flushes)
 *
 * playwright's own launchPersistentContext hides the browser's pid and only closes it
 * gracefully, so Chromium is started here with child_process.spawn (detached: its own
 * process group) and reached with chromium.connectOverCDP; browser.contexts()[0] is the
 * profile's persistent context. Linux only (the process tree is read from /proc).
 * Env: CHROMIUM=/path/to/chromium (default /usr/bin/chromium). */
'use strict';
const childProcess = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VIEWPORT = { width: 1366, height: 768 };
const TIMEOUT = 30000;
/** Set in the browser's environment: finds its processes that left its process group
 * (chrome_crashpad_handler double-forks into a session of its own). */
const TAG_VAR = 'JIXIAO_E2E_BROWSER';

/* The switches playwright's chromium.launch() passes (as run.js gets them), so a page
 * behaves the same under both, plus what a profile reopened after a kill needs. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // after a SIGKILL: no “Restore pages?” / “didn't shut down correctly” bubble
  '--disable-session-crashed-bubble',
  '--hide-crash-restore-bubble',
  '--noerrdialogs',
  // as playwright
  '--disable-field-trial-config',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-back-forward-cache',
  '--disable-breakpad',
  '--disable-component-extensions-with-background-pages',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,' +
    'HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,' +
    'ThirdPartyStoragePartitioning,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,' +
    'PreconnectToSearch',
  '--allow-pre-commit-input',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--force-color-profile=srgb',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  '--no-service-autorun',
  '--disable-search-engine-choice-screen',
  '--enable-unsafe-swiftshader',
  '--hide-scrollbars',
  '--mute-audio',
  '--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4',
  `--window-size=${VIEWPORT.width},${VIEWPORT.height}`,
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* ------------------------------------------------------------------ processes -- */

/** Every live process: pid → { ppid, pgid, state }. Zombies count as gone: they hold
 * no files, and in a container whose pid 1 does not reap they never disappear. */
function processes() {
  const all = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (f[0] === 'Z' || f[0] === 'X') continue;
    all.set(Number(name), { ppid: Number(f[1]), pgid: Number(f[2]), state: f[0] });
  }
  return all;
}

/** The browser's processes: its descendants, its process group, and whatever carries its tag. */
function browserTree(pid, tag) {
  const all = processes();
  const found = new Set();
  for (const [p, info] of all) if (info.pgid === pid) found.add(p);
  if (all.has(pid)) found.add(pid);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [p, info] of all) {
      if (!found.has(p) && found.has(info.ppid)) {
        found.add(p);
        grown = true;
      }
    }
  }
  const needle = `${TAG_VAR}=${tag}`;
  for (const p of all.keys()) {
    if (found.has(p) || p === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(needle)) found.add(p);
    } catch {
      // gone, or not ours
    }
  }
  return [...found];
}

function sigkill(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Browsers still running when node exits (a test threw before close()) are killed. */
const running = new Set();
process.on('exit', () => {
  for (const b of running) {
    sigkill(-b.pid);
    for (const p of browserTree(b.pid, b.tag)) sigkill(p);
  }
});

/* -------------------------------------------------------------------- profile -- */

function isAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Readies a profile a killed browser left behind: refuses one a live browser still holds
 * (Chromium would hand the launch to it and exit), removes the stale Singleton* links
 * (and the socket's /tmp directory), marks the last exit as normal (no restore state). */
function prepareProfile(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, 'SingletonLock');
  let target = null;
  try {
    target = fs.readlinkSync(lock); // "hostname-pid"
  } catch {
    // no lock
  }
  if (target) {
    const m = /^(.*)-(\d+)$/.exec(target);
    if (m && m[1] === os.hostname() && isAlive(Number(m[2]))) {
      let cmdline = '';
      try {
        cmdline = fs.readFileSync(`/proc/${m[2]}/cmdline`, 'utf8');
      } catch {
        // gone meanwhile
      }
      if (cmdline.includes(path.resolve(dir)))
        throw new Error(`profile ${dir} is in use by a running Chromium (pid ${m[2]})`);
    }
  }
  try {
    const socket = fs.readlinkSync(path.join(dir, 'SingletonSocket'));
    const socketDir = path.dirname(socket);
    if (/^org\.chromium\.Chromium\./.test(path.basename(socketDir))) fs.rmSync(socketDir, { recursive: true, force: true });
  } catch {
    // no socket
  }
  for (const name of ['SingletonLock', 'SingletonSocket', 'SingletonCookie']) fs.rmSync(path.join(dir, name), { force: true });
  fs.rmSync(path.join(dir, 'DevToolsActivePort'), { force: true });
  const prefsFile = path.join(dir, 'Default', 'Preferences');
  try {
    const prefs = JSON.parse(fs.readFileSync(prefsFile, 'utf8'));
    if (prefs.profile && (prefs.profile.exit_type !== 'Normal' || prefs.profile.exited_cleanly !== true)) {
      prefs.profile.exit_type = 'Normal';
      prefs.profile.exited_cleanly = true;
      fs.writeFileSync(prefsFile, JSON.stringify(prefs));
    }
  } catch {
    // a fresh profile (no Preferences yet), or one Chromium will rebuild
  }
}

/* --------------------------------------------------------------------- launch -- */

/** Waits for "DevTools listening on ws://…" on the browser's stderr. */
function devtoolsEndpoint(child, log, timeout) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const fail = (why) => {
      cleanup();
      reject(new Error(`Chromium did not start (${why}):\n${log.join('\n')}`));
    };
    const onData = (chunk) => {
      buffered += chunk;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(buffered);
      if (m) {
        cleanup();
        resolve(m[1]);
      }
    };
    const onExit = (code, signal) => fail(`exited with ${signal || code}`);
    const onError = (err) => fail(err.message);
    const timer = setTimeout(() => fail(`no DevTools endpoint after ${timeout} ms`), timeout);
    function cleanup() {
      clearTimeout(timer);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    child.stderr.on('data', onData);
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

async function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts Chromium on a persistent profile.
 * opts: { userDataDir (default: a fresh temp dir), args: [extra switches], env: {…},
 *         headless (default true), timeout (ms, default 30000) }
 * → { context, browser, userDataDir, pid, kill, close }
 *   context: the profile's playwright BrowserContext; its newPage() resolves once the page
 *            has the 1366×768 viewport; downloads are accepted (see saveDownload).
 *   kill():  SIGKILL to the browser and all its processes; resolves when none is left.
 *   close(): graceful (Browser.close); resolves when the processes are gone.
 */
async function launchProfile(opts) {
  opts = opts || {};
  // Chromium now and then dies of a signal while starting, before it listens for DevTools
  // (seen on CI: SIGSEGV in its first second). That is the browser's start, not the page:
  // start it again, at most twice, and say so.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(opts);
    } catch (err) {
      const startCrash = /^Chromium did not start \(exited with SIG/.test(err.message);
      if (!startCrash || attempt >= 3) throw err;
      console.error(`    (Chromium crashed while starting, attempt ${attempt}; starting it again)`);
      await sleep(500);
    }
  }
}

async function launchOnce(opts) {
  const timeout = opts.timeout || TIMEOUT;
  const userDataDir = path.resolve(opts.userDataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-profile-')));
  prepareProfile(userDataDir);

  const tag = crypto.randomBytes(8).toString('hex');
  const args = ARGS.filter((a) => opts.headless !== false || a !== '--headless')
    .concat(opts.args || [], ['--remote-debugging-port=0', `--user-data-dir=${userDataDir}`, 'about:blank']);
  const child = childProcess.spawn(CHROMIUM, args, {
    detached: true, // setsid: the browser leads its own process group
    stdio: ['ignore', 'ignore', 'pipe'],
    env: Object.assign({}, process.env, opts.env, { [TAG_VAR]: tag }),
  });
  const pid = child.pid;
  const log = []; // the last lines of stderr, for errors
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    // keep draining, or Chromium blocks once the pipe is full
    for (const line of chunk.split('\n')) if (line.trim()) log.push(line);
    if (log.length > 40) log.splice(0, log.length - 40);
  });
  child.on('error', () => {}); // reported by devtoolsEndpoint
  let exited = child.exitCode !== null || child.signalCode !== null;
  const exit = new Promise((r) => child.once('exit', () => r((exited = true))));
  const self = { pid, tag };
  if (pid) running.add(self);

  let browser = null;
  let ending = null;

  /** Kills until the browser's tree is empty (new processes may be forking meanwhile). */
  async function killTree() {
    const until = Date.now() + 10000;
    for (;;) {
      const tree = pid ? browserTree(pid, tag) : [];
      if (tree.length === 0 && (exited || !pid)) break;
      if (Date.now() > until) throw new Error(`Chromium ${pid}: processes ${tree.join(' ')} survived SIGKILL`);
      if (pid) sigkill(-pid); // the whole process group at once: nobody gets to flush
      for (const p of tree) sigkill(p);
      await sleep(10);
    }
    running.delete(self);
    if (browser) await withTimeout(disconnected, 5000);
  }

  function kill() {
    if (!ending) ending = killTree();
    return ending;
  }

  function close() {
    if (!ending) {
      ending = (async () => {
        if (browser && browser.isConnected()) {
          try {
            const session = await browser.newBrowserCDPSession();
            session.send('Browser.close').catch(() => {}); // the answer may never come
          } catch {
            // connection already gone
          }
        } else if (pid) {
          sigkill(pid); // never connected: nothing to close gracefully
        }
        if ((await withTimeout(exit, 20000)) === 'timeout') {
          await killTree();
          throw new Error(`Chromium ${pid} did not exit after Browser.close; killed`);
        }
        // helpers (crashpad) leave on their own once the browser is gone
        const until = Date.now() + 5000;
        while (browserTree(pid, tag).length && Date.now() < until) await sleep(20);
        await killTree();
      })();
    }
    return ending;
  }

  let disconnected;
  try {
    const endpoint = await devtoolsEndpoint(child, log, timeout);
    browser = await chromium.connectOverCDP(endpoint, { timeout });
    disconnected = new Promise((r) => browser.once('disconnected', r));
  } catch (err) {
    ending = killTree();
    await ending.catch(() => {});
    throw err;
  }

  const context = browser.contexts()[0];
  const sized = (page) => page.setViewportSize(VIEWPORT);
  const newPage = context.newPage.bind(context);
  context.newPage = async () => {
    const page = await newPage();
    await sized(page);
    return page;
  };
  context.on('page', (page) => sized(page).catch(() => {})); // popups, window.open
  await Promise.all(context.pages().map((page) => sized(page).catch(() => {})));

  return { context, browser, userDataDir, pid, kill, close };
}

/** Starts Chromium again on a profile a killed (or closed) browser used. */
function relaunch(userDataDir, opts) {
  return launchProfile(Object.assign({}, opts, { userDataDir }));
}

/** Clicks `clickSelector` and saves the download it starts into `dir` (created if needed)
 * under its suggested name → { name, path, text }; throws if no download comes or it fails. */
async function saveDownload(page, clickSelector, dir, timeout) {
  timeout = timeout || 10000;
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout }),
    page.click(clickSelector, { timeout }),
  ]);
  const failure = await download.failure();
  if (failure) throw new Error(`download from ${clickSelector} failed: ${failure}`);
  const name = download.suggestedFilename();
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, name);
  await download.saveAs(target);
  return { name, path: target, text: fs.readFileSync(target, 'utf8') };
}

module.exports = { launchProfile, relaunch, saveDownload, VIEWPORT, CHROMIUM };
