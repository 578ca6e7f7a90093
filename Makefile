# Two entry points: `make demo` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test browser bench clean

$(VENV): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip >/dev/null
	$(BIN)/python -m pip install -e '.[dev]'
	touch $(VENV)

demo: $(VENV)
	$(BIN)/routes demo

# Headless Chromium for the map tests (Debian package); skipped when not root.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed and not root: browser tests will be skipped"; fi; }

test: $(VENV) browser
	$(BIN)/python -m pytest

bench: $(VENV)
	$(BIN)/python bench/network_cache.py
	$(BIN)/python bench/gazetteer_eval.py
	$(BIN)/python bench/events_eval.py
	$(BIN)/python bench/routing.py

clean:
	rm -rf $(VENV) build *.egg-info
