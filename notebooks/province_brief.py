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
# The two-page brief of a province-year, from the same profile as the full report. Render with
# `parlib report "Hưng Yên" --year 2022 --lang vi --brief` (add --pdf, --docx). One call per section.
province: str = "Hưng Yên"  # province name or code, any spelling ("hung yen", "33")
year: int = 2022  # result year
lang: str = "en"  # brief language: "en" or "vi"
indices: list = []  # indices to include, for example ["PAR", "PAPI"], or [] for every index with data
base_year: int = 0  # year to compare with, or 0 for the previous available year
data_dir: str = ""  # data directory, or "" for the bundled data

# %%
# One call per section, in the report's order (split the cell to run a section alone).
from parlib.run.brief import open_brief

brief = open_brief(province, year, lang, indices=indices, base_year=base_year, data_dir=data_dir)
brief.title()
brief.results()
brief.components()
brief.strengths()
brief.priorities()
brief.sources()
