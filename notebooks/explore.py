# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python (parlib)
#     language: python
#     name: parlib
# ---

# %% [markdown]
# # Exploring the indices with parlib
#
# The starting point for an analyst. Everything below runs on the bundled, sourced data.
# Functions take the long table first and return a new table, so they chain with `.pipe`.

# %% tags=["parameters"]
province: str = "Hưng Yên"  # any spelling
year: int = 2022  # result year
lang: str = "en"  # "en" or "vi"

# %% [markdown]
# ## One tidy table
# One row per (index, year, province, measure); `value` is missing where only a rank was
# published. `source_id` points into `parlib.load_sources()`.

# %%
import parlib

ds = parlib.load()  # the one data handle: scores, aggregates, sources, conflicts, manifest
scores = ds.scores.query("level != 'indicator'")
scores.head()

# %%
parlib.coverage(scores).query("level == 'total'").pivot(
    index="year", columns="index_code", values="provinces_with_value"
)

# %% [markdown]
# ## PAPI totals by year
# Totals are out of 60 until 2017 and out of 80 from 2018 (two dimensions were added), so the
# two periods are not comparable; each box is one year's provinces.

# %%
import seaborn as sns

papi = scores.query("index_code == 'PAPI' and measure == 'TOTAL'")
sns.boxplot(data=papi, x="year", y="value", color="#9ecae1").set(xlabel="", ylabel="PAPI total")

# %% [markdown]
# ## Any spelling of a province

# %%
p = parlib.province(province)
p, p.successor

# %% [markdown]
# ## Changes, ranks, gaps
# `delta_pp` is in the index's own unit (percentage points for PAR INDEX and SIPAS);
# `pct_change` is the relative change; `rank_change > 0` means the province moved up.

# %%
deltas = scores.pipe(parlib.compute_deltas)
deltas.query("province_code == @p.code and measure == 'TOTAL'").tail(8)

# %%
gaps = scores.query("year == @year").pipe(parlib.compute_gaps, ds.aggregates)
gaps.query("province_code == @p.code and measure == 'TOTAL'")

# %% [markdown]
# ## The assessment profile and its narrative

# %%
profile = parlib.assess(p, year, dataset=ds)
from IPython.display import Markdown

Markdown(parlib.narrate(profile, lang))

# %% [markdown]
# ## The report, section by section
# The same calls the rendered report makes; try another province or language above.

# %%
from parlib.run.report import open_report

open_report(p.code, year, lang).scorecard()
