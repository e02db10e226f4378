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
# Provinces side by side. Render with `parlib compare "Hưng Yên" "Hải Dương" "Bắc Ninh" --year 2022 --lang en`
# (or `--region RRD`). Every figure is the one in each province's own report; one call per section.
provinces: list = ["Hưng Yên", "Hải Dương", "Bắc Ninh"]  # 2 to 6 province names or codes, any spelling
region: str = ""  # a region's code or name ("RRD", "Đồng bằng sông Hồng"): its provinces are added
year: int = 2022  # result year
lang: str = "en"  # report language: "en" or "vi"
data_dir: str = ""  # data directory, or "" for the bundled data

# %%
# One call per section, in the report's order (split the cell to run a section alone).
from parlib.run.compare import open_comparison

comparison = open_comparison(provinces, year, lang, region=region, data_dir=data_dir)
comparison.title()
comparison.scorecards()
comparison.components()
comparison.trajectories()
comparison.themes()
comparison.differences()
comparison.sources()
