# Quick start: `make run` (set up everything and serve) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
PORT ?= 5000
BIN := $(VENV)/bin
export FLASK_APP := diagnosis

# Debian packages WeasyPrint needs: Pango, the HarfBuzz subsetter (fast font subsetting), CJK fonts;
# and the chromium the browser tests drive through Playwright (never a downloaded browser).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fontconfig chromium
# The report font, cut from Noto Sans CJK SC (diagnosis/reports/engine/fonts.py); rebuilt when the texts
# whose characters it must hold change.
REPORT_FONT := reports/assets/fonts/ZhizaoSans-Regular.otf
FONT_TEXTS := $(wildcard questionnaires/*.yaml reports/*.html reports/partials/*.html reports/*.css diagnosis/reports/content/*.py diagnosis/reports/content/chapters/*.py) diagnosis/reports/engine/fonts.py

.PHONY: bytecode run test setup system-deps venv fonts secret database worker bench check clean

run: setup
	@echo "Serving on http://127.0.0.1:$(PORT) (demo passwords: instance/demo-accounts.txt)"
	exec $(BIN)/gunicorn --workers 2 --threads 4 --bind 127.0.0.1:$(PORT) --access-logfile - 'diagnosis:create_app()'

test: setup
	$(BIN)/pytest

setup: system-deps venv fonts secret database bytecode

# The package's bytecode, written even where PYTHONDONTWRITEBYTECODE is set (as pip does for the
# libraries it installs): without it every process compiles the modules it imports (~0.1 s).
bytecode: venv
	$(BIN)/python -m compileall -q diagnosis

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them as root: apt-get install -y$$missing"; exit 1; \
	  fi; \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

fonts: $(REPORT_FONT)

$(REPORT_FONT): $(FONT_TEXTS) | venv
	$(BIN)/diagnosis fonts build --force

# The random per-instance session key (instance/secret_key, mode 0600); never overwritten.
secret: venv
	$(BIN)/diagnosis secret-key

database: venv secret
	$(BIN)/diagnosis db upgrade
	$(BIN)/diagnosis seed

worker: setup
	$(BIN)/diagnosis worker

check: venv
	$(BIN)/diagnosis questionnaire check

bench: setup
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts
