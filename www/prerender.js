#!/usr/bin/env node
/* Adds the example's screen to the built app: opens dist/jixiao.html in headless
 * Chromium, lets the page start and draw its example, and has the page write itself
 * again with that screen (www/app/snapshot.js, the same code as “另存为HTML”). The file
 * then shows its figures as soon as it is parsed, before the core is unpacked.
 *
 * Usage: node www/prerender.js <dist/jixiao.html>. Without Chromium (a build outside
 * `make`), the file is left as built: it works the same and shows the boot message
 * while it starts. */
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

const file = process.argv[2];
if (!file) {
  console.error('用法：node www/prerender.js <jixiao.html>');
  process.exit(2);
}
const CHROMIUM = '/usr/bin/chromium';

(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    console.log('没有 Chromium：本次构建的文件不含示例画面（打开时先显示“正在打开”）');
    return;
  }
  const { chromium } = require(path.join(__dirname, '..', 'tests', 'e2e', 'node_modules', 'playwright-core'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run']
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(pathToFileURL(path.resolve(file)).href);
    await page.waitForSelector('html[data-recovery="checked"]', { timeout: 60000 });
    const html = await page.evaluate(() => window.jixiaoApp.files.htmlCopy(true));
    if (errors.length) throw new Error('页面出错：' + errors.join('；'));
    if (!/<div id="app" class="snapshot" data-hash="[0-9a-f]{8}"/.test(html)) throw new Error('页面没有给出示例画面');
    fs.writeFileSync(file, html);
    const size = Buffer.byteLength(html);
    console.log(`已加入示例画面：大小 ${size.toLocaleString()} 字节（${(size / 1024).toFixed(0)} KB；目标 ≤ 1 MB）`);
  } finally {
    await browser.close();
  }
})().catch((err) => {
  console.error('加入示例画面失败：' + err.message);
  process.exit(1);
});
