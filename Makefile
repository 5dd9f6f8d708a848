# Aegis: the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing first (PostgreSQL and, for the browser tests,
# Chromium from Debian's packages; the dashboard's Node modules from npm).

SHELL        := /bin/bash
.SHELLFLAGS  := -eu -o pipefail -c
.DEFAULT_GOAL := help

VERSION      ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS      := -X github.com/aegis-oss/aegis/cmd/aegis/internal/cli.Version=$(VERSION)
DATA_DIR     ?= $(CURDIR)/.data
GO_TEST_FLAGS ?= -race -count=1 -timeout 15m
MODULES      = $(shell go list -m -f '{{.Dir}}')

# The dashboard's sources: web/dist is rebuilt when one is newer.
WEB_SOURCES  = $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/package.json \
	web/vite.config.ts web/tsconfig.json web/tsconfig.node.json

export AEGIS_DATA_DIR ?= $(DATA_DIR)
# Playwright uses Debian's Chromium (make chromium); it never downloads a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help
help: ## Show the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.PHONY: deps
deps: ## Install and start what Aegis needs locally (PostgreSQL on :5434)
	@deploy/local/postgres.sh ensure

.PHONY: build
build: ## Build bin/aegis
	@mkdir -p bin
	cd cmd/aegis && go build -trimpath -ldflags '$(LDFLAGS)' -o $(CURDIR)/bin/aegis .

.PHONY: check-node
check-node: # Fail in one line when Node.js 20.19+ and npm are missing
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "make: the dashboard (web/) needs Node.js 20.19 or later and npm, which are not installed" >&2; exit 1; }
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' || { echo "make: the dashboard (web/) needs Node.js 20.19 or later, not $$(node --version)" >&2; exit 1; }

# npm ci when web/node_modules is missing or older than package-lock.json.
web/node_modules/.package-lock.json: web/package-lock.json | check-node
	cd web && npm ci --no-audit --no-fund

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

.PHONY: web
web: web/dist/index.html ## Install the dashboard's Node modules if missing or stale, and build it into web/dist

.PHONY: chromium
chromium: ## Install Debian's chromium, for the browser tests, if /usr/bin/chromium is missing
	@deploy/local/chromium.sh

.PHONY: run
run: deps build web mailpit ## Install what is missing, build, and run the whole platform
	@echo "Aegis: dashboard and admin API http://127.0.0.1:3001 (GET /health), gateway http://127.0.0.1:8000 (GET /_aegis/health), NATS nats://127.0.0.1:4222 (embedded), PostgreSQL $$(deploy/local/postgres.sh url | sed 's#://[^@]*@#://#'), mail inbox http://127.0.0.1:8025"
	DATABASE_URL="$$(deploy/local/postgres.sh url)" SMTP_URL=smtp://127.0.0.1:1025 ./bin/aegis server

.PHONY: mailpit
mailpit: ## Install and start the local mail catcher (SMTP 127.0.0.1:1025, inbox http://127.0.0.1:8025)
	@mailpit="$$(go env GOPATH)/bin/mailpit"; \
	if [ ! -x "$$mailpit" ]; then \
		echo "Installing Mailpit"; \
		GOBIN="$$(go env GOPATH)/bin" go install github.com/axllent/mailpit@v1.33.1; \
	fi; \
	listening() { (exec 3<>"/dev/tcp/127.0.0.1/$$1") 2>/dev/null; }; \
	if listening 1025; then \
		echo "Mailpit: already running (SMTP 127.0.0.1:1025, inbox http://127.0.0.1:8025)"; \
		exit 0; \
	fi; \
	mkdir -p "$(AEGIS_DATA_DIR)/mailpit"; \
	setsid "$$mailpit" --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025 \
		--database "$(AEGIS_DATA_DIR)/mailpit/mailpit.db" \
		--smtp-auth-accept-any --smtp-auth-allow-insecure --disable-version-check \
		>>"$(AEGIS_DATA_DIR)/mailpit.log" 2>&1 </dev/null & \
	echo $$! >"$(AEGIS_DATA_DIR)/mailpit.pid"; \
	for _ in $$(seq 100); do \
		if listening 1025 && listening 8025; then \
			echo "Mailpit: started, pid $$(cat "$(AEGIS_DATA_DIR)/mailpit.pid") (SMTP 127.0.0.1:1025, inbox http://127.0.0.1:8025, log $(AEGIS_DATA_DIR)/mailpit.log)"; \
			exit 0; \
		fi; \
		sleep 0.1; \
	done; \
	echo "Mailpit did not start; the end of $(AEGIS_DATA_DIR)/mailpit.log:"; \
	tail -n 20 "$(AEGIS_DATA_DIR)/mailpit.log"; \
	exit 1

.PHONY: test
test: deps ## Install what the tests need and run every test: every Go module, then the dashboard's
	@export DATABASE_URL="$$(deploy/local/postgres.sh url)"; \
	failed=0; \
	for dir in $(MODULES); do \
		echo "== $${dir#$(CURDIR)/}"; \
		(cd "$$dir" && go vet ./... && go test $(GO_TEST_FLAGS) ./...) || failed=1; \
	done; \
	echo "== allocation tests, without the race detector"; \
	(cd gateway && go test -count=1 -run Allocate ./...) || failed=1; \
	$(MAKE) --no-print-directory test-web || failed=1; \
	exit $$failed

.PHONY: test-web
test-web: check-node deps chromium build ## The dashboard's checks: npm ci, API types, type check, unit tests, build, browser tests
	@cd web; \
	failed=0; \
	step() { \
		local began=$$SECONDS; \
		echo "== web: $$*"; \
		if "$$@"; then echo "== web: $$* passed in $$((SECONDS - began)) s"; return 0; fi; \
		echo "== web: $$* FAILED in $$((SECONDS - began)) s"; failed=1; return 1; \
	}; \
	step npm ci --no-audit --no-fund || exit 1; \
	step npm run check:api || true; \
	step npm run typecheck || true; \
	step npm run typecheck:e2e || true; \
	step npm test || true; \
	if step npm run build; then step npm run e2e || true; fi; \
	exit $$failed

.PHONY: bench
bench: deps ## Run the benchmarks behind docs/benchmarks.md (AEGIS_BENCH_EVENTS and AEGIS_BENCH_KEYS, default 1,000,000)
	@export DATABASE_URL="$$(deploy/local/postgres.sh url)"; \
	(cd schema && go test -run '^$$' -bench . -benchtime 5000x ./eventlog/) && \
	(cd projector && AEGIS_BENCH_EVENTS=$${AEGIS_BENCH_EVENTS:-1000000} go test -run '^$$' -bench . -benchtime 1x -timeout 30m .) && \
	(cd gateway && AEGIS_BENCH_KEYS=$${AEGIS_BENCH_KEYS:-1000000} go test -run '^$$' -bench ColdStart -benchtime 1x -timeout 20m .) && \
	(cd gateway && go test -run '^$$' -bench RequestPath -count 5 .) && \
	(cd cmd/aegis && go test -run '^$$' -bench . -benchtime 1x ./internal/platform/)

.PHONY: bench-gateway
bench-gateway: ## Measure the gateway with wrk next to a bare fasthttp proxy and nginx (installs wrk, nginx)
	@deploy/bench/gateway.sh

.PHONY: fmt
fmt: ## Check formatting (gofmt) of every Go file
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt-ed:"; echo "$$out"; exit 1; fi

.PHONY: clean
clean: ## Remove build output (keeps .data and web/node_modules)
	rm -rf bin web/dist web/test-results web/playwright-report
