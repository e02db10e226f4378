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
# National overview of one year. Render with `parlib overview --year 2022 --lang vi`.
year: int = 2022  # result year
lang: str = "en"  # report language: "en" or "vi"
data_dir: str = ""  # data directory, or "" for the bundled data

# %%
# One call per section, in the report's order (split the cell to run a section alone).
from parlib.run.report import open_overview

overview = open_overview(year, lang, data_dir=data_dir)
overview.title()
overview.rankings()
overview.distribution()
overview.movers()
overview.regional()
overview.cross()
overview.maps()
overview.provenance()
