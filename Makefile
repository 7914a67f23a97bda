# shegong — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DISTRICT ?= 500112
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install lock assets messages lint format migrate demo serve clean browser keys fonts

# `make run` is a development checkout: DEBUG on, keys from var/ (written by `make keys`).
# Production sets SHEGONG_SECRET_KEY and SHEGONG_FIELD_KEY instead (README, "Deploy").
keys migrate demo messages run: export SHEGONG_DEBUG ?= 1

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs exactly what requirements.lock pins; pyproject.toml only states the ranges.
$(VENV)/.installed: pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# Upgrading is deliberate: re-resolve the pins within pyproject.toml's ranges, then review
# the diff of requirements.lock and run the suite before committing it.
lock: | $(PY)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--python-platform linux --upgrade -o requirements.lock

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

assets: node_modules/.installed

# Compiled catalogues are committed; rebuild them when gettext is on the machine.
messages: install
	@if command -v msgfmt >/dev/null; then cd src/shegong && ../../$(PY) ../../manage.py compilemessages -v0; fi

# var/ (0700) with this checkout's secret and field keys (0600); never done by settings.
keys: install
	$(PY) -m shegong.config.devkeys

migrate: install assets keys
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_divisions $(DISTRICT)

demo: migrate
	$(MANAGE) seed_demo $(DISTRICT)

run: demo messages fonts
	@echo ""
	@echo "  shegong is starting at http://$(HOST):$(PORT)/"
	@echo "  Log in as 'admin' (district administrator) with the password in var/demo-password.txt:"
	@echo "      $$(cat var/demo-password.txt 2>/dev/null || echo '(SHEGONG_ADMIN_PASSWORD)')"
	@echo "  Other demo accounts (same password): station, room, sysadmin, secadmin, auditor,"
	@echo "  buyer (purchasing department), agency (agency staff), evaluator (third-party evaluator)."
	@echo "  admin, sysadmin, secadmin and auditor also enter a second factor: add the TOTP secret"
	@echo "  in var/demo-otp.txt to an authenticator app, or print the current code with"
	@echo "      SHEGONG_DEBUG=1 $(MANAGE) demo_otp"
	@echo "      (secret: $$(sed -n 's/^secret: //p' var/demo-otp.txt 2>/dev/null))"
	@echo ""
	@# The worker runs background jobs (large imports); it stops with the server. Uploads
	@# that waited too long for a worker (they hold ID numbers) are deleted first.
	@$(MANAGE) purge_stale_imports --verbosity 0
	@trap 'kill 0' EXIT; $(MANAGE) db_worker --interval 2 & $(MANAGE) runserver $(HOST):$(PORT)

browser:
	@scripts/ensure-chromium

# PDFs embed a CJK font: Debian's fonts-noto-cjk (or SHEGONG_PDF_FONT).
fonts:
	@scripts/ensure-fonts

# The whole suite, then the date-sensitive tests again at 17:30 UTC, already tomorrow in the
# district: a test taking "today" from anything but timezone.localdate() fails there.
# (Exit status 5 = PYTEST_ARGS selected no date-sensitive test.)
test: install assets browser fonts
	$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} -q $(PYTEST_ARGS)
	$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} -q -m date_sensitive --clock=17:30 $(PYTEST_ARGS) \
		|| [ $$? -eq 5 ]

bench: install assets
	$(PY) -m bench.run $(BENCH_ARGS)

# Style and layers: ruff, and import-linter's contracts in pyproject.toml (imports point down).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var
