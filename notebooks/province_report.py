# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python (parlib)
#     language: python
#     name: parlib
# ---

# %% tags=["parameters"]
# Province assessment report. Change the parameters and run all cells, or render with
# `parlib report "Hưng Yên" --year 2022 --lang vi`. Every section is one call into parlib.
province: str = "Hưng Yên"  # province name or code, any spelling ("hung yen", "33")
year: int = 2022  # result year
lang: str = "en"  # report language: "en" or "vi"
indices: list = []  # indices to include, for example ["PAR", "PAPI"], or [] for every index with data
base_year: int = 0  # year to compare with, or 0 for the previous available year
data_dir: str = ""  # data directory, or "" for the bundled data

# %%
# One call per section, in the report's order (split the cell to run a section alone).
from parlib.run.report import open_report

report = open_report(province, year, lang, indices=indices, base_year=base_year, data_dir=data_dir)
report.title()
report.headline()
report.scorecard()
report.components()
report.trajectory()
report.region()
report.themes()
report.strengths()
report.remedies()
report.drilldown()
report.targets()
report.plan()
report.significance()
report.location_map()
report.caveats()
report.provenance()
