# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-tools bench bench-load install migrate clean

# Beyond Python, the tests drive Debian's chromium (browser tests) and run Prometheus and promtool.
TEST_TOOLS_APT := apt-get update && apt-get install -y chromium prometheus

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/medevac serve --demo

migrate: $(STAMP)
	$(VENV)/bin/medevac migrate

# Checked before the suite starts, so `make test` never fails half-way for a missing tool: as root
# on Debian/Ubuntu it installs them, otherwise it stops at once with the command to run.
test-tools:
	@missing() { m=""; [ -x /usr/bin/chromium ] || m="chromium"; \
		for tool in promtool prometheus; do command -v $$tool >/dev/null || m="$$m $$tool"; done; echo $$m; }; \
	lacking=$$(missing); [ -z "$$lacking" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then \
		echo "make test: installing what the tests need (missing: $$lacking): $(TEST_TOOLS_APT)"; \
		export DEBIAN_FRONTEND=noninteractive; $(TEST_TOOLS_APT) && lacking=$$(missing); \
		[ -z "$$lacking" ] && exit 0; \
	fi; \
	echo "make test: the tests need /usr/bin/chromium, promtool and prometheus; missing: $$lacking. Run first:"; \
	echo "  sudo sh -c '$(TEST_TOOLS_APT)'"; \
	echo "(Debian/Ubuntu packages; elsewhere install Chromium as /usr/bin/chromium, and Prometheus's prometheus and promtool)"; \
	exit 1

test: $(STAMP) test-tools
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench

bench-load: $(STAMP)
	$(PY) -m bench.load $(BENCH_LOAD_ARGS)

clean:
	rm -rf $(VENV) .medevac-data
