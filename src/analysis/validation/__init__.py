"""Validation of measures on the researcher's own corpus (issue 12).

    $ analysis annotate --target 輸出規制 --n 200          # sample + sheets (CSV, .xlsx) + key
    $ analysis agreement a.xlsx b.xlsx                      # Cohen's kappa, Krippendorff's alpha
    $ analysis stance-eval --sheet a.xlsx                   # weighted P/R/F on this corpus
    $ analysis stance --sheet a.xlsx && analysis figures   # misclassification-corrected shares
    $ analysis intrusion                                    # word/topic intrusion sheets per topic model

Modules: :mod:`~analysis.validation.sheets` (reading, writing and checking sheets and keys),
:mod:`~analysis.validation.annotate` (the stratified sample), :mod:`~analysis.validation.agreement`,
:mod:`~analysis.validation.accuracy` (Horvitz-Thompson precision/recall/F),
:mod:`~analysis.validation.prevalence` (confusion-matrix correction of label shares),
:mod:`~analysis.validation.intrusion`, :mod:`~analysis.validation.widget` (JupyterLab labelling) and
:mod:`~analysis.validation.demo` (filling sheets from the demo corpus's ground truth).
"""
