# Jixiao 绩效自评 — a newcomer needs two commands: `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
WASM_BINDGEN_VERSION := 0.2.130
SEED := examples/lanzhou-xinqu-emergency-2022.xlsx
# The seed's exports are named after its unit (`jixiao report`: <单位>_<年度>_…).
SEED_STEM := 兰州新区应急管理局_2022
WASM := target/wasm32-unknown-unknown/wasm/jixiao.wasm
UNPACK := target/wasm32-unknown-unknown/wasm/examples/unpack.wasm
PKG := target/wasm-pkg
HTML := dist/jixiao.html
# npm ci writes this file last: the test tools and the build's minifier are installed.
NODE_STAMP := tests/e2e/node_modules/.package-lock.json

.PHONY: run build open test evaluate lint native-test wasm-test readers office e2e wasm-tools browser bench node-tools

## make run: build dist/jixiao.html and open it where a desktop exists.
run: build open

## make build: the single-file app, dist/jixiao.html.
build: $(HTML)

open:
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && command -v xdg-open >/dev/null; then \
	  xdg-open "$(abspath $(HTML))" >/dev/null 2>&1 & \
	  echo "已在浏览器中打开 $(abspath $(HTML))"; \
	else \
	  echo "没有桌面环境：请在浏览器中打开 file://$(abspath $(HTML))"; \
	fi

## make evaluate: the `jixiao` command on the bundled seed unit.
evaluate:
	$(CARGO) run --release --quiet -- evaluate $(SEED)

## Tools the wasm build needs, installed only when missing.
wasm-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if ! wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then \
	  echo "安装 wasm-bindgen-cli $(WASM_BINDGEN_VERSION)（首次约 4 分钟）"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked \
	  || $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@command -v node >/dev/null || { echo "需要 Node.js（apt-get install -y nodejs）"; exit 1; }
	@command -v xz >/dev/null || apt-get install -y xz-utils >/dev/null || \
	  { echo "需要 xz 压缩工具（apt-get install -y xz-utils）"; exit 1; }

$(HTML): wasm-tools browser $(NODE_STAMP) $(wildcard src/*.rs src/*/*.rs src/*/*/*.rs src/*/*.json www/* www/app/*) examples/unpack.rs Cargo.toml $(SEED)
	$(CARGO) build --profile wasm --lib --target wasm32-unknown-unknown
	$(CARGO) build --profile wasm --target wasm32-unknown-unknown --example unpack
	@mkdir -p target/mvp
	node www/target-features.js $(WASM) target/mvp/jixiao.wasm reference-types multivalue
	wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section \
	  --out-dir $(PKG) target/mvp/jixiao.wasm
	$(CARGO) run --release --quiet -- json $(SEED) > target/seed.json 2>/dev/null
	@# wasm-bindgen only rewrites the unpacker (it has no bindings): the prebuilt std
	@# encodes call_indirect the post-MVP way, which Chromium 86 refuses.
	wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section \
	  --out-dir target/unpack-pkg $(UNPACK)
	node www/bundle.js $(PKG) target/unpack-pkg/unpack_bg.wasm target/seed.json $(HTML)
	@# The example's screen, drawn by the page itself, shown while the file starts.
	node www/prerender.js $(HTML)

## make test: every test (formatting, lints, native, wasm in Chromium, end-to-end).
test: lint native-test wasm-test readers e2e

## The page's modules are checked by ESLint (an undefined name, a variable never used;
## www/eslintrc.json) besides rustfmt and clippy.
lint: node-tools
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	tests/e2e/node_modules/.bin/eslint --no-eslintrc -c www/eslintrc.json www/app/*.js

## The npm packages of the tests (playwright-core, ESLint, wabt, the OOXML validator) and of the build
## (terser, which minifies the page's scripts), from the lock file.
node-tools: $(NODE_STAMP)
$(NODE_STAMP): tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error

native-test:
	$(CARGO) test --all-targets

## Debian's Chromium and ChromeDriver for the browser tests, and a CJK font (the page's
## layout checks — 28 characters a line — measure Chinese text), installed only when missing.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { echo "安装 Chromium（约 40 秒）"; apt-get install -y chromium chromium-driver >/dev/null \
	    || { apt-get update >/dev/null && apt-get install -y chromium chromium-driver >/dev/null; }; }
	@fc-list :lang=zh family 2>/dev/null | grep -q . || \
	  { echo "安装中文字体 fonts-noto-cjk（约 1 分钟）"; apt-get install -y --no-install-recommends fonts-noto-cjk >/dev/null \
	    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends fonts-noto-cjk >/dev/null; }; }
	@fc-list :lang=zh family | grep -q . || { echo "没有中文字体：版面检查无法进行"; exit 1; }

## The binding's wasm_bindgen_test tests, in headless Chromium.
wasm-test: wasm-tools browser
	$(CARGO) test --target wasm32-unknown-unknown --test wasm

## playwright-core driving Chromium on dist/jixiao.html through file://.
e2e: build browser node-tools
	node tests/e2e/embed.js $(HTML)
	node tests/e2e/old-chromium.js $(HTML)
	node tests/e2e/run.js $(abspath $(HTML))
	node tests/e2e/documents.js $(abspath $(HTML))
	node tests/e2e/crash.js $(abspath $(HTML))
	node tests/e2e/model.js $(abspath $(HTML))
	node tests/e2e/figures.js $(abspath $(HTML))
	node tests/e2e/grid.js $(abspath $(HTML))
	node tests/e2e/layouts.js $(abspath $(HTML))
	@python3 -c "import pymupdf" 2>/dev/null || python3 -m pip install --quiet pymupdf
	node tests/e2e/print.js $(abspath $(HTML))
	@python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install --quiet openpyxl
	node tests/e2e/review.js $(abspath $(HTML))
	node tests/e2e/large.js $(abspath $(HTML))
	node tests/e2e/open.js $(abspath $(HTML))

## The exported files, read back by independent readers (openpyxl, python-docx), checked
## against the ECMA-376 schemas (the Open XML SDK's validator) and laid out by LibreOffice
## (tests/readers/render.py: lines, page numbers, page breaks; PNGs in target/render).
readers: node-tools office
	@python3 -c "import openpyxl, docx" 2>/dev/null || python3 -m pip install --quiet openpyxl python-docx
	$(CARGO) run --release --quiet -- report $(SEED) --out target/report
	$(CARGO) run --release --quiet -- report $(SEED) --profile sichuan-2023 --out target/report-sichuan
	python3 tests/readers/check_xlsx.py target/report/$(SEED_STEM)_自评表.xlsx
	python3 tests/readers/check_docx.py target/report/$(SEED_STEM)_自评报告.docx
	node tests/readers/ooxml.mjs target/report/$(SEED_STEM)_自评报告.docx target/report/$(SEED_STEM)_自评表.xlsx \
	  target/report-sichuan/$(SEED_STEM)_自评报告.docx target/report-sichuan/$(SEED_STEM)_自评表.xlsx
	@rm -rf target/render && mkdir -p target/render
	cp target/report/$(SEED_STEM)_自评报告.docx target/render/central-自评报告.docx
	cp target/report-sichuan/$(SEED_STEM)_自评报告.docx target/render/sichuan-自评报告.docx
	python3 tests/readers/render.py target/render target/render/central-自评报告.docx \
	  target/render/sichuan-自评报告.docx target/report/$(SEED_STEM)_自评表.xlsx

## LibreOffice (headless, without a desktop) and PyMuPDF for the rendering test, installed
## only when missing (about 220 MB, under a minute).
office:
	@command -v soffice >/dev/null || { echo "安装 LibreOffice（约 1 分钟）"; \
	  apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null \
	  || { apt-get update >/dev/null && apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null; }; }
	@fc-list :lang=zh family 2>/dev/null | grep -q . || $(MAKE) --no-print-directory browser
	@python3 -c "import pymupdf" 2>/dev/null || python3 -m pip install --quiet pymupdf

## make bench: the benchmarks of BENCHMARKS.md — native (cargo bench) and in Chromium
## (tests/e2e/bench.js) — then one table of results against the goals. Not a test:
## timings are never asserted.
bench: build browser node-tools
	$(CARGO) bench --bench '*'
	node tests/e2e/bench.js $(abspath $(HTML))
	node tests/e2e/bench-memory.js $(abspath $(HTML))
