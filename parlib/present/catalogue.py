"""The bilingual catalogue: every heading, label, unit and fixed phrase of the reports.

Presenters take their words from here (never from ``if lang == ...`` string literals of their
own). Each table maps a key to its English and Vietnamese text; ``{name}`` fields are filled by
the presenter with figures it formats, never computes.

>>> word("rankings", "vi")
'Bảng xếp hạng'
>>> scenario_name("national_avg", "vi")
'trung bình toàn quốc'
"""

from __future__ import annotations

from parlib._vocab import LANGS, index_facts, index_name  # noqa: F401 (re-exported)


def check_lang(lang: str) -> str:
    """``lang`` itself, or ValueError naming the accepted languages."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


#: Column names and fixed wording, per language.
TABLE = {
    "en": {
        "index": "Index",
        "score": "Score",
        "rank": "Rank",
        "base_year": "Base year",
        "change": "Change in score",
        "rank_change": "Change in rank",
        "gap": "Gap to national average",
        "national_avg": "National average",
        "group": "Group",
        "component": "Component",
        "value": "Score {year}",
        "base_value": "Score {base}",
        "delta": "Change ({unit})",
        "rank_y": "Rank {year}",
        "comp_gap": "Gap to national average ({unit})",
        "published_change": "Published change on {base}",
        "kind": "Kind",
        "source": "Source",
        "kind_published": "published change (percentage points of the component's achievement rate)",
        "kind_published_points": "published change ({unit})",
        "priority": "Priority",
        "points_lost": "Points lost since {base}",
        "points_lost_any": "Points lost since the previous year with data",
        "below_avg": "Below national average by",
        "to_max": "Points short of maximum",
        "rank_gain": "Possible rank gain",
        "scenario": "Scenario",
        "comp_from_to": "Component from → to",
        "total_from_to": "Total from → to",
        "rank_from_to": "Rank from → to",
        "caveat": "What to keep in mind",
        "source_id": "Source id",
        "producer": "Producer",
        "title": "Title",
        "address": "Address",
        "accessed": "Accessed",
        "licence": "Licence",
        "item": "Item",
        "detail": "Value",
        "province": "Province",
        "region": "Region",
        "mean_prov": "Mean of provinces with data",
        "n_prov": "Provinces with data",
        "published_mean": "Published mean",
        "tied": " (tied)",
        "computed": " (computed)",
        "published": "published",
        "mean_of_provinces": "mean of provinces with data",
        "points": "points",
        "pp": "percentage points",
        "up_places": "↑{n} place{s}",
        "down_places": "↓{n} place{s}",
        "same_place": "= unchanged",
        "from_rank": " (from {r})",
        "upto": "up to {n} place{s}",
        "none": "none",
        "not_comparable": "not comparable (see the headline)",
        "break_note": "† The comparison crosses a change of methodology; read the change with care.",
        "vietnam": "Viet Nam",
        "all_provinces": "All provinces",
        "average_used": "Average used in the report",
    },
    "vi": {
        "index": "Chỉ số",
        "score": "Điểm số",
        "rank": "Xếp hạng",
        "base_year": "Năm so sánh",
        "change": "Thay đổi điểm số",
        "rank_change": "Thay đổi thứ hạng",
        "gap": "So với trung bình toàn quốc",
        "national_avg": "Trung bình toàn quốc",
        "group": "Nhóm",
        "component": "Chỉ số thành phần",
        "value": "Điểm năm {year}",
        "base_value": "Điểm năm {base}",
        "delta": "Thay đổi ({unit})",
        "rank_y": "Xếp hạng năm {year}",
        "comp_gap": "So với trung bình toàn quốc ({unit})",
        "published_change": "Thay đổi đã công bố so với năm {base}",
        "kind": "Loại số liệu",
        "source": "Nguồn",
        "kind_published": "thay đổi đã công bố (điểm phần trăm của tỷ lệ đạt được của lĩnh vực)",
        "kind_published_points": "thay đổi đã công bố ({unit})",
        "priority": "Thứ tự ưu tiên",
        "points_lost": "Điểm giảm so với năm {base}",
        "points_lost_any": "Điểm giảm so với năm liền trước có số liệu",
        "below_avg": "Thấp hơn trung bình toàn quốc",
        "to_max": "Còn cách điểm tối đa",
        "rank_gain": "Số bậc có thể tăng",
        "scenario": "Kịch bản",
        "comp_from_to": "Chỉ số thành phần từ → đến",
        "total_from_to": "Tổng điểm từ → đến",
        "rank_from_to": "Thứ hạng từ → đến",
        "caveat": "Lưu ý",
        "source_id": "Mã nguồn",
        "producer": "Đơn vị công bố",
        "title": "Tiêu đề",
        "address": "Địa chỉ",
        "accessed": "Ngày truy cập",
        "licence": "Điều kiện sử dụng",
        "item": "Mục",
        "detail": "Giá trị",
        "province": "Tỉnh, thành phố",
        "region": "Vùng",
        "mean_prov": "Bình quân các tỉnh có số liệu",
        "n_prov": "Số tỉnh có số liệu",
        "published_mean": "Số liệu công bố",
        "tied": " (đồng hạng)",
        "computed": " (tính từ điểm số)",
        "published": "số liệu công bố",
        "mean_of_provinces": "bình quân các tỉnh có số liệu",
        "points": "điểm",
        "pp": "%",
        "up_places": "tăng {n} bậc",
        "down_places": "giảm {n} bậc",
        "same_place": "giữ nguyên vị trí",
        "from_rank": " (từ {r})",
        "upto": "tối đa {n} bậc",
        "none": "không",
        "not_comparable": "không so sánh được (xem phần kết quả chung)",
        "break_note": "† So sánh qua thay đổi phương pháp đánh giá; cần thận trọng khi đọc mức thay đổi.",
        "vietnam": "Cả nước",
        "all_provinces": "Tất cả các tỉnh",
        "average_used": "Mức trung bình sử dụng",
    },
}

SCENARIOS = {
    "national_avg": {"en": "national average", "vi": "trung bình toàn quốc"},
    "previous": {"en": "own previous value", "vi": "giá trị năm trước"},
    "best": {"en": "best province", "vi": "tỉnh cao nhất"},
    "max": {"en": "maximum", "vi": "điểm tối đa"},
}

KINDS = {
    "news": {"en": "news", "vi": "báo chí"},
    "gov_portal": {"en": "government portal", "vi": "cổng thông tin điện tử"},
    "official_workbook": {"en": "official data file", "vi": "tệp số liệu chính thức"},
    "news_aggregator": {"en": "news aggregator", "vi": "trang tổng hợp tin"},
    "dataset_preview": {"en": "dataset preview", "vi": "bản xem trước bộ dữ liệu"},
    "mirror_of_news": {"en": "copy of a news item", "vi": "bản sao tin báo chí"},
    "user_import": {"en": "table imported by the user", "vi": "bảng số liệu do người dùng nhập"},
}

PARAM_NAMES = {
    "province": {"en": "province", "vi": "tỉnh"},
    "year": {"en": "year", "vi": "năm"},
    "indices": {"en": "indices", "vi": "các chỉ số"},
    "data_dir": {"en": "data folder", "vi": "thư mục số liệu"},
    "base_year": {"en": "base year", "vi": "năm so sánh"},
    "lang": {"en": "language", "vi": "ngôn ngữ"},
}

#: Chart wording, per language.
CHART = {
    "en": {
        "no_data": "No data",
        "points": "points",
        "pp": "percentage points",
        "change_title": "{index}: change by component, {base}–{year}",
        "published_title": "{index}: published changes by component area, {base}–{year}",
        "change_x": "Change ({unit})",
        "published_x": "Change (percentage points of the component's achievement rate)",
        "source": "Source: {ids}",
        "published_kind": "Published changes; component scores are not in the data.",
        "break_note": "The comparison crosses a change of methodology: read the changes with care.",
        "vs_title": "{index}: components in {year}, {base} and the national average",
        "vs_title_nobase": "{index}: components in {year} and the national average",
        "score_max": "Score (points, maximum {max})",
        "score": "Score (points)",
        "national": "National average",
        "national_computed": "National average (mean of provinces with data)",
        "year": "{year}",
        "traj_title": "{province}: rank by index, {first}–{last}",
        "rank_y": "Rank (1 = best)",
        "n_legend": "{index} (ranked out of {n})",
        "break_legend": "Change of methodology",
        "break_item": "{letter}: {index} from {year}: {label}",
        "gaps": "Lines are not drawn across years without a rank. No rank in the data: {items}.",
        "no_rank": "No rank in the data for {items}.",
        "region_title": "{index} {year}: {region} ({n} of {total} provinces with a score)",
        "regional": "Regional average",
        "published": "published",
        "mean_prov": "mean of provinces",
        "no_regional": "No regional average: only {n} of {total} provinces of the region have a score.",
        "no_region": "No regions are defined for the 34 units formed in 2025.",
        "dist_title": "{index} {year}: scores of {n} provinces",
        "dist_partial": "{index} {year}: scores of {n} of {total} provinces (the others are not in the data)",
        "dist_x_pct": "Score (%)",
        "dist_x_pts": "Score (points, maximum {max})",
        "dist_y": "Number of provinces",
        "hl_missing": "{province}: no score for {year} in the data",
        "cross_title": "Index totals compared, {year}",
        "cross_none": "Not enough published data to compare the indices in {year}:\n"
        "at least {k} provinces must have both scores.",
        "pair_n": "{a} × {b}: {n} provinces with both",
        "pair_stat": "n = {n}, r = {r}",
        "skipped": "Not shown (fewer than {k} provinces with both): {items}.",
        "value_unit_pct": "{index} (%)",
        "value_unit_pts": "{index} (points)",
        "below_avg_alt": "components below the national average",
        "not_compared": "Not compared: scale changed",
    },
    "vi": {
        "no_data": "Không có dữ liệu",
        "points": "điểm",
        "pp": "điểm phần trăm",
        "change_title": "{index}: thay đổi các chỉ số thành phần, {base}–{year}",
        "published_title": "{index}: thay đổi theo lĩnh vực đã công bố, {base}–{year}",
        "change_x": "Thay đổi ({unit})",
        "published_x": "Thay đổi (điểm phần trăm của tỷ lệ đạt được của lĩnh vực)",
        "source": "Nguồn: {ids}",
        "published_kind": "Số liệu thay đổi đã công bố; chưa có điểm các lĩnh vực.",
        "break_note": "So sánh qua thay đổi phương pháp đánh giá: cần thận trọng khi đọc mức thay đổi.",
        "vs_title": "{index}: các chỉ số thành phần năm {year}, năm {base} và trung bình toàn quốc",
        "vs_title_nobase": "{index}: các chỉ số thành phần năm {year} và trung bình toàn quốc",
        "score_max": "Điểm (tối đa {max} điểm)",
        "score": "Điểm",
        "national": "Trung bình toàn quốc",
        "national_computed": "Trung bình toàn quốc (bình quân các tỉnh có số liệu)",
        "year": "Năm {year}",
        "traj_title": "{province}: thứ hạng các chỉ số, {first}–{last}",
        "rank_y": "Thứ hạng (1 = cao nhất)",
        "n_legend": "{index} (xếp hạng trên {n} tỉnh)",
        "break_legend": "Thay đổi phương pháp",
        "break_item": "{letter}: {index} từ năm {year}: {label}",
        "gaps": "Không nối đường qua các năm không có thứ hạng. Chưa có thứ hạng: {items}.",
        "no_rank": "Chưa có thứ hạng của {items}.",
        "region_title": "{index} năm {year}: {region} ({n}/{total} tỉnh có điểm số)",
        "regional": "Trung bình vùng",
        "published": "số liệu công bố",
        "mean_prov": "bình quân các tỉnh",
        "no_regional": "Chưa có trung bình vùng: chỉ {n}/{total} tỉnh trong vùng có điểm số.",
        "no_region": "Chưa có phân vùng cho 34 đơn vị hành chính từ năm 2025.",
        "dist_title": "{index} năm {year}: điểm số của {n} tỉnh, thành phố",
        "dist_partial": "{index} năm {year}: điểm số của {n}/{total} tỉnh, thành phố (các tỉnh khác chưa có trong dữ liệu)",
        "dist_x_pct": "Điểm số (%)",
        "dist_x_pts": "Điểm số (tối đa {max} điểm)",
        "dist_y": "Số tỉnh, thành phố",
        "hl_missing": "{province}: chưa có điểm số năm {year}",
        "cross_title": "So sánh tổng điểm các chỉ số năm {year}",
        "cross_none": "Chưa đủ số liệu đã công bố để so sánh các chỉ số năm {year}:\n"
        "cần ít nhất {k} tỉnh có cả hai điểm số.",
        "pair_n": "{a} × {b}: {n} tỉnh có cả hai",
        "pair_stat": "n = {n}, r = {r}",
        "skipped": "Không vẽ (dưới {k} tỉnh có cả hai điểm số): {items}.",
        "value_unit_pct": "{index} (%)",
        "value_unit_pts": "{index} (điểm)",
        "below_avg_alt": "chỉ số thành phần thấp hơn trung bình toàn quốc",
        "not_compared": "Không so sánh: thang điểm thay đổi",
    },
}

#: Strengths, weaknesses and priorities (``strengths_lines``, ``remedies_paragraph``, ``remedies_table``).
PRIORITY = {
    "en": {
        "strengths": "Strengths",
        "weaknesses": "Weaknesses",
        "vs_avg": "vs national average",
        "no_strengths": "no component in parlib's data ranks in the top quarter of the provinces above the national "
        "average",
        "no_weaknesses": "no component in parlib's data ranks in the bottom quarter below the national average, "
        "and parlib's data hold no large published fall",
        "rule": "Strengths are components in the top quarter of the provinces by rank and above the national "
        "average; weaknesses are components in the bottom quarter and below it, or a large published fall. "
        "A component in the middle half is neither, whatever its gap.",
        "no_se": "parlib's data hold standard errors for index totals only, not for components: whether a "
        "component's gap to the national average exceeds the survey's margin of error cannot be judged.",
        "published": "published change; no level in the data",
        "since": "since {year}",
        "places_down": "down {n} place{s} since {year}",
        "lost": "lost {x} points since {year}",
        "below": "{x} points below the national average",
        "to_max": "{x} points short of the maximum",
        "bottom_quarter": "in the bottom quarter",
        "basis": "Evidence",
        "basis_level": "level",
        "basis_published_change": "published change",
        "published_col": "Published change",
        "weakness_col": "Weakness",
    },
    "vi": {
        "strengths": "Điểm mạnh",
        "weaknesses": "Điểm yếu",
        "vs_avg": "so với trung bình",
        "no_strengths": "không có chỉ số thành phần nào thuộc nhóm một phần tư số tỉnh xếp hạng cao nhất và cao "
        "hơn trung bình toàn quốc",
        "no_weaknesses": "trong dữ liệu của parlib, không có chỉ số thành phần nào thuộc nhóm một phần tư số tỉnh "
        "xếp hạng thấp nhất và thấp hơn trung bình toàn quốc, cũng không có số liệu công bố nào cho thấy lĩnh vực "
        "giảm mạnh",
        "rule": "Điểm mạnh là chỉ số thành phần thuộc nhóm một phần tư số tỉnh xếp hạng cao nhất và cao hơn trung "
        "bình toàn quốc; điểm yếu là chỉ số thuộc nhóm một phần tư xếp hạng thấp nhất và thấp hơn trung "
        "bình, hoặc giảm mạnh theo số liệu đã công bố. Chỉ số ở nhóm giữa không được coi là điểm mạnh "
        "hay điểm yếu, dù chênh lệch lớn hay nhỏ.",
        "no_se": "Dữ liệu của parlib chỉ có sai số chuẩn của tổng điểm các chỉ số, không có của các chỉ số thành "
        "phần: chưa đánh giá được chênh lệch của từng chỉ số thành phần so với trung bình toàn quốc có "
        "vượt sai số của khảo sát hay không.",
        "published": "thay đổi đã công bố; chưa có điểm số của lĩnh vực",
        "since": "so với năm {year}",
        "places_down": "giảm {n} bậc so với năm {year}",
        "lost": "giảm {x} điểm so với năm {year}",
        "below": "thấp hơn trung bình toàn quốc {x} điểm",
        "to_max": "còn cách điểm tối đa {x} điểm",
        "bottom_quarter": "thuộc nhóm một phần tư xếp hạng thấp nhất",
        "basis": "Căn cứ",
        "basis_level": "điểm số, thứ hạng",
        "basis_published_change": "thay đổi đã công bố",
        "published_col": "Thay đổi đã công bố",
        "weakness_col": "Điểm yếu",
    },
}

#: Report section headings: key → (English, Vietnamese).
HEADINGS = {
    "summary": ("At a glance", "Tóm tắt kết quả"),
    "headline": ("Headline", "Kết quả chung"),
    "scorecard": ("Scorecard", "Bảng tổng hợp các chỉ số"),
    "components": ("Components", "Các chỉ số thành phần"),
    "trajectory": ("Rank over the years", "Thứ hạng qua các năm"),
    "region": ("Within the region", "Trong vùng kinh tế - xã hội"),
    "strengths": ("Strengths and weaknesses", "Điểm mạnh, điểm yếu"),
    "remedies": ("Priorities and what-if", "Nội dung ưu tiên và giả định cải thiện"),
    "targets": ("Targets and whether they are realistic in one year", "Mục tiêu và khả năng đạt được trong một năm"),
    "themes": ("Themes across the indices", "Đọc chéo các chỉ số theo chủ đề"),
    "drilldown": ("Priorities in detail", "Chi tiết các nội dung ưu tiên"),
    "plan": ("Improvement plan", "Kế hoạch nâng cao chỉ số"),
    "significance": ("Statistical significance", "Ý nghĩa thống kê"),
    "map": ("Location", "Vị trí"),
    "caveats": ("What to keep in mind", "Lưu ý khi sử dụng"),
    "provenance": ("Sources and provenance", "Nguồn số liệu và thông tin tạo báo cáo"),
    "rankings": ("Rankings", "Bảng xếp hạng"),
    "distribution": ("Distribution of scores", "Phân bố điểm số"),
    "movers": ("Biggest movers", "Tăng, giảm nhiều nhất"),
    "regional": ("Regional averages", "Trung bình theo vùng"),
    "cross": ("The indices side by side", "Tương quan giữa các chỉ số"),
    "maps": ("Maps", "Bản đồ"),
}

#: Section names of the Markdown narrative (``narrate``).
NARRATIVE_HEAD = {
    "en": {
        "headline": "Headline",
        "components": "Components",
        "strengths": "Strengths and weaknesses",
        "remedies": "Priorities for improvement",
        "caveats": "What to keep in mind",
        "sources": "Sources",
    },
    "vi": {
        "headline": "Kết quả chung",
        "components": "Các chỉ số thành phần",
        "strengths": "Điểm mạnh, điểm yếu",
        "remedies": "Nội dung cần ưu tiên cải thiện",
        "caveats": "Lưu ý",
        "sources": "Nguồn số liệu",
    },
}

#: Notes and fixed sentences of the report pages, per language.
PAGE = {
    "en": {
        "generated": "Generated by parlib on {stamp} from published data; every figure is traced to its source below.",
        "overview_generated": "Indices with data for {year}: {names}. Generated by parlib on {stamp}.",
        "no_index": "No index has data for this province and year.",
        "no_components": "No component data for this province and year.",
        "no_region_data": "Not enough published scores to compare the provinces of the region.",
        "no_strengths": "No component data to compare with the national average.",
        "no_remedies": "No component has lost points or lies below the national average in the data.",
        "no_ci": "No index published confidence intervals for this province and year (PAPI publishes them from 2019).",
        "no_cross": "Not enough provinces with more than one index this year.",
        "data_behind": "Data behind the chart",
        "param": "parameter: ",
        "generated_at": "Generated at",
        "imported": "imported",
        "rows": "rows",
        "partial_table": "Partial table: {n} of {expected} provinces have a published {index} result for {year} "
        "in the data ({n_val} with a score); ranks are the national ranks as published.",
        "fallback_note": "Where the previous year is missing, the change is on the latest earlier year shown in "
        "brackets.",
        "vs": "vs",
        "no_movers_break": "No comparable rank changes for {index} {year}: every comparison crosses a methodology "
        "change.",
        "no_movers_none": "No comparable rank changes for {index} {year}: no earlier ranks in the data.",
        "regional_note": "The average is the one the narrative and the charts use: published where published, "
        "else the mean of the provinces with a score when at least 90% of the country has one. "
        "A mean of a few provinces is shown beside it for reference only.",
        "title_not_recorded": "title not recorded",
        "default_base_year": "the previous year with data",
        "default_indices": "every index with data",
        "default_data_dir": "the bundled data and the user store",
        "not_drawn": "not drawn",
    },
    "vi": {
        "generated": "Báo cáo do parlib tạo lúc {stamp} từ số liệu đã công bố; nguồn của từng số liệu ở cuối báo cáo.",
        "overview_generated": "Các chỉ số có số liệu năm {year}: {names}. Báo cáo do parlib tạo lúc {stamp}.",
        "no_index": "Chưa có số liệu chỉ số nào của địa phương trong năm này.",
        "no_components": "Chưa có số liệu chỉ số thành phần của địa phương trong năm này.",
        "no_region_data": "Chưa đủ số liệu đã công bố để so sánh các tỉnh trong vùng.",
        "no_strengths": "Chưa có số liệu chỉ số thành phần để so sánh với trung bình toàn quốc.",
        "no_remedies": "Không có chỉ số thành phần nào giảm điểm hoặc thấp hơn trung bình toàn quốc.",
        "no_ci": "Không có chỉ số nào công bố khoảng tin cậy cho tỉnh trong năm này (PAPI công bố từ năm 2019).",
        "no_cross": "Năm nay chưa đủ số tỉnh có từ hai chỉ số trở lên.",
        "data_behind": "Số liệu của biểu đồ",
        "param": "tham số: ",
        "generated_at": "Thời điểm tạo báo cáo",
        "imported": "nhập",
        "rows": "dòng",
        "partial_table": "Bảng chưa đầy đủ: dữ liệu có kết quả {index} năm {year} của {n}/{expected} tỉnh, thành phố "
        "({n_val} tỉnh có điểm số); thứ hạng là thứ hạng toàn quốc đã công bố.",
        "fallback_note": "Khi thiếu số liệu năm liền trước, mức thay đổi so với năm gần nhất có số liệu (ghi trong "
        "ngoặc).",
        "vs": "so với",
        "no_movers_break": "Không có thay đổi thứ hạng so sánh được của {index} năm {year}: mọi so sánh đều qua thay "
        "đổi phương pháp.",
        "no_movers_none": "Không có thay đổi thứ hạng so sánh được của {index} năm {year}: chưa có thứ hạng năm trước.",
        "regional_note": "Mức trung bình là mức mà phần nhận định và biểu đồ sử dụng: số liệu công bố nếu có, nếu "
        "không là bình quân các tỉnh có điểm số khi ít nhất 90% số tỉnh cả nước có điểm. Bình quân "
        "của một số ít tỉnh chỉ để tham khảo.",
        "title_not_recorded": "chưa ghi tiêu đề",
        "default_base_year": "năm liền trước có số liệu",
        "default_indices": "mọi chỉ số có số liệu",
        "default_data_dir": "số liệu kèm theo và kho số liệu nhập",
        "not_drawn": "không vẽ",
    },
}

#: Column names of the tables under each chart ("data behind the chart").
DATA_COLUMNS = {
    "en": {
        "series": "Series",
        "label": "Item",
        "value": "Value",
        "year": "Year",
        "rank": "Rank",
        "n": "Out of",
        "basis": "Basis",
        "source": "Source",
        "province": "Province",
        "count": "Count",
        "index": "Index",
        "score": "Score",
        "change": "Change",
        "avg": "Average",
        "base": "Base year value",
        "x": "x",
        "y": "y",
    },
    "vi": {
        "series": "Chuỗi số liệu",
        "label": "Mục",
        "value": "Giá trị",
        "year": "Năm",
        "rank": "Thứ hạng",
        "n": "Trên tổng số",
        "basis": "Cách tính",
        "source": "Nguồn",
        "province": "Tỉnh, thành phố",
        "count": "Số lượng",
        "index": "Chỉ số",
        "score": "Điểm số",
        "change": "Thay đổi",
        "avg": "Trung bình",
        "base": "Giá trị năm so sánh",
        "x": "x",
        "y": "y",
    },
}


def word(key: str, lang: str, **fields) -> str:
    """A heading (:data:`HEADINGS`) or a page phrase (:data:`PAGE`) in the language, with its
    ``{fields}`` filled."""
    check_lang(lang)
    text = HEADINGS[key][LANGS.index(lang)] if key in HEADINGS else PAGE[lang][key]
    return text.format(**fields) if fields else text


def scenario_name(scenario: str, lang: str = "en") -> str:
    """Localized what-if scenario name ("national average" / "trung bình toàn quốc")."""
    return SCENARIOS.get(scenario, {}).get(lang, scenario)


def index_label(names: dict, code: str, lang: str) -> str:
    """An index's display name from the names a Profile/Overview carries (code → {en, vi})."""
    return names.get(code, {}).get(lang, code)


#: Names of the published groups, by the index's ``group_scheme`` (data/meta/indices.csv) and the
#: group code the engine returns: PAR INDEX's fixed bands, PAPI's quartile groups (DOMAIN §3.5).
GROUPS = {
    "en": {
        ("par_band", "A"): "Group A",
        ("par_band", "B"): "Group B",
        ("par_band", "C"): "Group C",
        ("papi_quartile", "1"): "High performers",
        ("papi_quartile", "2"): "High-average performers",
        ("papi_quartile", "3"): "Low-average performers",
        ("papi_quartile", "4"): "Poor performers",
    },
    "vi": {
        ("par_band", "A"): "Nhóm A",
        ("par_band", "B"): "Nhóm B",
        ("par_band", "C"): "Nhóm C",
        ("papi_quartile", "1"): "Nhóm đạt điểm cao nhất",
        ("papi_quartile", "2"): "Nhóm đạt điểm trung bình cao",
        ("papi_quartile", "3"): "Nhóm đạt điểm trung bình thấp",
        ("papi_quartile", "4"): "Nhóm đạt điểm thấp nhất",
    },
}


def group_name(index_code: str, group: str, lang: str = "en") -> str:
    """The name of a province's group in an index ("" without a group).

    >>> group_name("PAPI", "1", "vi"), group_name("PAR", "B", "en"), group_name("SIPAS", "", "en")
    ('Nhóm đạt điểm cao nhất', 'Group B', '')
    """
    if not group:
        return ""
    return GROUPS[check_lang(lang)].get((index_facts(index_code).group_scheme, str(group)), "")


#: Targets (``Profile.targets``), each marked realistic in one year or not: sentence patterns and the targets table's columns.
TARGETS = {
    "en": {
        "top_group": "to enter the top quartile group ({year}: above {target}) needs {need}",
        "keep_top_group": "it is in the top quartile group, {need_abs} above its threshold ({target})",
        "previous_rank": "to regain {param} place (the {year} score of that place: {target}) needs {need}",
        "regional_leader": "to match the region's leader, {leader} ({target}), needs {need}",
        "next_band": "to reach band {param} ({target}) needs {need}",
        "within_own": "within the survey's {level}% margin of error (±{margin}): the survey could not tell the two apart",
        "outside_own": "beyond the survey's {level}% margin of error (±{margin})",
        "within_difference": "within the {level}% margin of error of the difference between the two provinces "
        "(±{margin}): the survey could not tell the two apart",
        "outside_difference": "beyond the {level}% margin of error of the difference between the two provinces "
        "(±{margin})",
        "unrealistic": "not realistic in one year: {pct} of the {n} one-year changes of the total in {first}–{last} "
        "were at most {bound}",
        "levers": "a single component could deliver it: {items}",
        "lever": "{name} ({share} of its distance to the {ref})",
        "levers_unrealistic": "a single component could deliver it only with a gain not realistic in one year: {items}",
        "lever_unrealistic": "{name} ({share} of its distance to the {ref}; {pct} of its {n} one-year changes in "
        "{first}–{last} were at most {bound})",
        "best": "best province",
        "max": "maximum",
        "col_index": "Index",
        "col_target": "Target",
        "col_now": "Now",
        "col_to": "Target value",
        "col_need": "Needed",
        "col_margin": "Margin of error",
        "margin_difference": "{margin} (of the difference)",
        "lever_not_realistic": "{name} (not realistic in one year)",
        "col_levers": "Components that could deliver it",
        "col_realistic": "Realistic in one year",
        "yes": "yes",
        "no": "no",
        "none": "No target can be computed: the index has no score, or too few provinces are in the data.",
    },
    "vi": {
        "top_group": "để vào nhóm đạt điểm cao nhất (năm {year}: trên {target}) cần thêm {need}",
        "keep_top_group": "đang thuộc nhóm đạt điểm cao nhất, cao hơn ngưỡng ({target}) {need_abs}",
        "previous_rank": "để lấy lại vị trí thứ {param} (điểm của vị trí đó năm {year}: {target}) cần thêm {need}",
        "regional_leader": "để bằng tỉnh dẫn đầu vùng, {leader} ({target}), cần thêm {need}",
        "next_band": "để lên nhóm {param} ({target}) cần thêm {need}",
        "within_own": "nằm trong sai số của khảo sát ở mức tin cậy {level}% (±{margin}): khảo sát chưa phân biệt "
        "được hai mức này",
        "outside_own": "vượt sai số của khảo sát ở mức tin cậy {level}% (±{margin})",
        "within_difference": "nằm trong sai số của chênh lệch giữa hai tỉnh ở mức tin cậy {level}% (±{margin}): "
        "khảo sát chưa phân biệt được hai tỉnh",
        "outside_difference": "vượt sai số của chênh lệch giữa hai tỉnh ở mức tin cậy {level}% (±{margin})",
        "unrealistic": "khó đạt được trong một năm: {pct} trong số {n} mức thay đổi một năm của tổng điểm giai đoạn "
        "{first}–{last} không vượt quá {bound}",
        "levers": "một chỉ số thành phần có thể tự đóng góp đủ: {items}",
        "lever": "{name} ({share} khoảng cách tới {ref})",
        "levers_unrealistic": "một chỉ số thành phần chỉ tự đóng góp đủ với mức tăng khó đạt được trong một năm: "
        "{items}",
        "lever_unrealistic": "{name} ({share} khoảng cách tới {ref}; {pct} trong số {n} mức thay đổi một năm giai "
        "đoạn {first}–{last} không vượt quá {bound})",
        "best": "tỉnh cao nhất",
        "max": "điểm tối đa",
        "col_index": "Chỉ số",
        "col_target": "Mục tiêu",
        "col_now": "Hiện tại",
        "col_to": "Mức mục tiêu",
        "col_need": "Cần thêm",
        "col_margin": "Sai số",
        "margin_difference": "{margin} (của chênh lệch)",
        "lever_not_realistic": "{name} (khó đạt được trong một năm)",
        "col_levers": "Chỉ số thành phần có thể đóng góp",
        "col_realistic": "Khả thi trong một năm",
        "yes": "có",
        "no": "không",
        "none": "Chưa tính được mục tiêu: chỉ số chưa có điểm hoặc dữ liệu có quá ít tỉnh.",
    },
}


#: What published intervals say (``IndexResult.ci_level``, ``margin``, ``*_significant``,
#: ``rank_range``): every sentence names the level read from the data.
UNCERTAINTY = {
    "en": {
        "score": "{index} {year}: {value} points, {level}% confidence interval {ci} (standard error {se}).",
        "change_untested": "The change on {base} cannot be tested: no confidence interval for {base} in the data.",
        "change_yes": "The change on {base} is larger than the {level}% margin of error of a change between two years.",
        "change_no": "The change on {base} is within the {level}% margin of error of a change between two years.",
        "gap_yes": "The gap to the national average is larger than the province's {level}% margin of error "
        "(±{margin}).",
        "gap_no": "The gap to the national average is within the province's {level}% margin of error (±{margin}).",
        "rank_range": "Plausible rank: {best} to {worst} of the {n} provinces ranked: the province is surely ahead "
        "only of provinces whose score is lower by more than the {level}% margin of error of the difference "
        "between the two scores, and surely behind only those higher by more than it (each pair tested on its "
        "own).",
        "untested": "{k} ranked provinces have no confidence interval in the data: they count as neither surely "
        "ahead nor surely behind, which widens the range.",
        "headline_range": "Given {index}'s {level}% confidence interval ({ci}), its plausible rank lies between "
        "{best} and {worst} of the {n} provinces ranked.",
    },
    "vi": {
        "score": "{index} năm {year}: {value} điểm, khoảng tin cậy {level}% {ci} (sai số chuẩn {se}).",
        "change_untested": "Chưa kiểm định được mức thay đổi so với năm {base}: chưa có khoảng tin cậy của năm {base}.",
        "change_yes": "Mức thay đổi so với năm {base} lớn hơn sai số của chênh lệch giữa hai năm ở mức tin cậy "
        "{level}%.",
        "change_no": "Mức thay đổi so với năm {base} nằm trong sai số của chênh lệch giữa hai năm ở mức tin cậy "
        "{level}%.",
        "gap_yes": "Chênh lệch so với trung bình toàn quốc lớn hơn sai số của tỉnh ở mức tin cậy {level}% (±{margin}).",
        "gap_no": "Chênh lệch so với trung bình toàn quốc nằm trong sai số của tỉnh ở mức tin cậy {level}% "
        "(±{margin}).",
        "rank_range": "Thứ hạng hợp lý: từ {best} đến {worst} trong {n} tỉnh, thành phố được xếp hạng: tỉnh chắc "
        "chắn đứng trên các tỉnh có điểm thấp hơn điểm của tỉnh quá sai số của chênh lệch giữa hai tỉnh ở mức tin "
        "cậy {level}%, và chắc chắn đứng sau các tỉnh có điểm cao hơn quá mức đó (kiểm định từng cặp).",
        "untested": "{k} tỉnh được xếp hạng chưa có khoảng tin cậy trong dữ liệu: chưa xác định được tỉnh đứng "
        "trên hay đứng sau các tỉnh này, nên khoảng thứ hạng rộng hơn.",
        "headline_range": "Với khoảng tin cậy {level}% của {index} ({ci}), thứ hạng hợp lý nằm trong khoảng "
        "{best}–{worst} trên {n} tỉnh, thành phố được xếp hạng.",
    },
}

#: Themes read across the indices (``Profile.themes``).
THEMES = {
    "en": {
        "diverge": "the indices disagree",
        "agree_up": "the indices agree: improving",
        "agree_down": "the indices agree: worsening",
        "agree_flat": "the indices agree: unchanged",
        "mixed": "the changes are mixed",
        "insufficient": "too few indices state a change to compare them",
        "dir_up": "improved",
        "dir_down": "worsened",
        "dir_flat": "unchanged",
        "dir_mixed": "mixed, its changes point both ways",
        "places_up": "up {n} places",
        "place_up": "up 1 place",
        "places_down": "down {n} places",
        "place_down": "down 1 place",
        "places_held": "same rank",
        "vs": "vs {base}",
        "withheld": "change not comparable (scale or content changed)",
        "component": "{name}: {value}, {rank}, {change}",
        "total": "{index}: {value}, {rank}, {change}",
        "published_change": "{name}: {change} (published change; no level in the data)",
        "no_rank": "no rank",
        "no_value": "no score",
        "no_change_stated": "no change stated",
        "missing": "No data for this province and year: {indices}",
    },
    "vi": {
        "diverge": "các chỉ số không thống nhất",
        "agree_up": "các chỉ số thống nhất: cải thiện",
        "agree_down": "các chỉ số thống nhất: giảm sút",
        "agree_flat": "các chỉ số thống nhất: không đổi",
        "mixed": "thay đổi đan xen",
        "insufficient": "chưa đủ chỉ số nêu được thay đổi để so sánh",
        "dir_up": "cải thiện",
        "dir_down": "giảm sút",
        "dir_flat": "không đổi",
        "dir_mixed": "đan xen, có thay đổi tăng và có thay đổi giảm",
        "places_up": "tăng {n} bậc",
        "place_up": "tăng 1 bậc",
        "places_down": "giảm {n} bậc",
        "place_down": "giảm 1 bậc",
        "places_held": "giữ nguyên vị trí",
        "vs": "so với năm {base}",
        "withheld": "không so sánh được thay đổi (thang điểm hoặc nội dung đã thay đổi)",
        "component": "{name}: {value}, {rank}, {change}",
        "total": "{index}: {value}, {rank}, {change}",
        "published_change": "{name}: {change} (thay đổi đã công bố; chưa có điểm)",
        "no_rank": "chưa có thứ hạng",
        "no_value": "chưa có điểm",
        "no_change_stated": "chưa nêu thay đổi",
        "missing": "Chưa có số liệu của địa phương trong năm này: {indices}",
    },
}


#: Drill-down tables (``Profile.drilldown``).
DRILL = {
    "en": {
        "sub": "Sub-dimension",
        "ind": "What citizens reported (survey indicator)",
        "value": "Province",
        "avg": "National average",
        "gap": "Gap",
        "rank": "Rank",
        "sub_note": "Sub-dimensions, weakest rank first.",
        "ind_note": "Survey indicators as published ({year}); their direction (whether higher is better) is not "
        "recorded, so they are not ranked or called weak. Shares of respondents are shown in percent and their "
        "gaps in percentage points (pp).",
        "unit": "Unit",
        "pp": "pp",
        "unit_percent": "% of respondents",
        "unit_points": "points ({lo}–{hi})",
        "unit_as_printed": "as printed (unit not verified)",
        "unit_unverified_pct": "printed as %, but the values are not all within 0–1: unit not verified",
        "none": "No PAPI dimension is among the priorities or weaknesses.",
    },
    "vi": {
        "sub": "Nội dung thành phần",
        "ind": "Người dân phản ánh (chỉ tiêu khảo sát)",
        "value": "Tỉnh",
        "avg": "Trung bình toàn quốc",
        "gap": "Chênh lệch",
        "rank": "Thứ hạng",
        "sub_note": "Nội dung thành phần, xếp từ thứ hạng thấp nhất.",
        "ind_note": "Chỉ tiêu khảo sát như đã công bố (năm {year}); chiều đánh giá (cao hơn là tốt hơn hay không) "
        "chưa được ghi nhận nên không xếp hạng hay coi là yếu. Tỷ lệ người trả lời được thể hiện bằng %, chênh "
        "lệch tính bằng điểm phần trăm.",
        "unit": "Đơn vị",
        "pp": "điểm %",
        "unit_percent": "% người trả lời",
        "unit_points": "điểm ({lo}–{hi})",
        "unit_as_printed": "như bản công bố (chưa xác minh đơn vị)",
        "unit_unverified_pct": "công bố dưới dạng %, nhưng số liệu không nằm trọn trong 0–1: chưa xác minh đơn vị",
        "none": "Không có chỉ số nội dung PAPI nào thuộc nội dung ưu tiên hoặc điểm yếu.",
    },
}


#: The improvement plan annex (``Profile.plan``): columns and phrases.
PLAN = {
    "en": {
        "priority": "Priority",
        "area": "Area",
        "current": "Current result",
        "target": "Target",
        "measure": "Measure that shows it",
        "evidence": "Evidence",
        "lead": "Lead agency",
        "deadline": "Deadline",
        "national_avg": "reach the national average ({value})",
        "previous": "regain the {base} level ({value})",
        "regain_published": "recover the {change} lost since {base}",
        "measure_text": "{index} {year}: {name}",
        "lead_empty": "(not named in a cited source)",
        "deadline_empty": "(for the province to set)",
        "published": "published change {change} since {base} [{source}]",
        "level": "score {value}, {rank}",
        "download": "Download the plan as an editable spreadsheet ({file})",
        "sheet": "Plan",
        "title": "{province}: improvement plan for the governance indices, from the {year} results",
    },
    "vi": {
        "priority": "Thứ tự",
        "area": "Nội dung",
        "current": "Kết quả hiện tại",
        "target": "Mục tiêu",
        "measure": "Chỉ số đo lường",
        "evidence": "Căn cứ",
        "lead": "Cơ quan chủ trì",
        "deadline": "Thời hạn",
        "national_avg": "đạt mức trung bình toàn quốc ({value})",
        "previous": "lấy lại mức năm {base} ({value})",
        "regain_published": "lấy lại mức {change} đã giảm so với năm {base}",
        "measure_text": "{index} năm {year}: {name}",
        "lead_empty": "(chưa có nguồn nêu cơ quan chủ trì)",
        "deadline_empty": "(tỉnh xác định)",
        "published": "thay đổi đã công bố {change} so với năm {base} [{source}]",
        "level": "điểm {value}, xếp hạng {rank}",
        "download": "Tải kế hoạch dạng bảng tính để chỉnh sửa ({file})",
        "sheet": "Kế hoạch",
        "title": "{province}: kế hoạch nâng cao các chỉ số, từ kết quả năm {year}",
    },
}

#: The 2025 baseline of a 34-unit province (its predecessors side by side), per language.
BASELINE = {
    "en": {
        "heading": "Baseline before the merger (no result of the new unit published yet)",
        "formed": "{unit} was formed on 1 July 2025 from {names}.",
        "kept": "{unit} kept its territory on 1 July 2025 (it was {names}).",
        "intro": (
            "{index}: no result of {unit} has been published for {year}. Baseline: {index} {byear}, the "
            "latest year before the merger with results in parlib's data, for the former provinces side by "
            "side — {rows}. No combined score is computed."
        ),
        "former": "the former {name} {kind}",
        "scored": "scored {score}",
        "ranked": "ranked {rank}",
        "out_of": " out of {max} points",
        "top_n_not_held": (
            "no figure in parlib's data: {publisher} printed only its top {n}, and this province is either outside "
            "them or among the printed figures parlib does not hold"
        ),
        "not_in_data": "no {index} {byear} figure in parlib's data",
        "province": "province",
        "city": "city",
        "col_index": "Index",
        "col_year": "Year",
        "col_province": "Former province",
        "col_score": "Score",
        "col_rank": "Rank",
        "col_note": "Note",
        "col_source": "Source",
        "table_note": (
            "Each former province in the same year of each index, with "
            "its rank among the provinces of that year; not a combined "
            "score of the new unit."
        ),
        "no_own": "No index has published results for {unit} for {year} yet.",
        "index_baseline": "baseline {year}",
    },
    "vi": {
        "heading": "Số liệu nền trước khi sắp xếp (chưa có kết quả công bố của đơn vị mới)",
        "formed": "{unit} được thành lập từ ngày 01/7/2025 trên cơ sở {names}.",
        "kept": "{unit} giữ nguyên địa giới từ ngày 01/7/2025 (là {names}).",
        "intro": (
            "{index}: chưa có kết quả năm {year} của {unit}. Số liệu nền là {index} năm {byear}, năm gần "
            "nhất trước khi sắp xếp có kết quả trong dữ liệu của parlib, của từng tỉnh, thành phố cũ — "
            "{rows}. Không tính điểm gộp."
        ),
        "former": "{kind} {name} (cũ)",
        "scored": "đạt {score}",
        "ranked": "xếp thứ {rank}",
        "out_of": "/{max} điểm",
        "top_n_not_held": (
            "dữ liệu của parlib chưa có số liệu: {publisher} chỉ công bố {n} tỉnh, thành phố dẫn đầu, tỉnh này hoặc "
            "nằm ngoài nhóm đó, hoặc có số liệu đã công bố mà parlib chưa có"
        ),
        "not_in_data": "dữ liệu của parlib chưa có số liệu {index} năm {byear}",
        "province": "tỉnh",
        "city": "thành phố",
        "col_index": "Chỉ số",
        "col_year": "Năm",
        "col_province": "Tỉnh, thành phố cũ",
        "col_score": "Điểm số",
        "col_rank": "Xếp hạng",
        "col_note": "Ghi chú",
        "col_source": "Nguồn",
        "table_note": (
            "Từng tỉnh, thành phố cũ trong cùng một năm của mỗi chỉ "
            "số, với thứ hạng trong các tỉnh của năm đó; không phải "
            "điểm gộp của đơn vị mới."
        ),
        "no_own": "Chưa có kết quả chỉ số nào được công bố của {unit} năm {year}.",
        "index_baseline": "số liệu nền {year}",
    },
}


#: The two-page brief (issue 20): headings and fixed phrases, in the Ministry's register.
BRIEF = {
    "en": {
        "title": "{province}: results of the governance indices {year} (brief)",
        "results": "Results of the indices",
        "components": "Components: what rose and what fell",
        "strengths": "Strengths and weaknesses",
        "priorities": "Priorities and targets",
        "targets": "Targets for the index totals",
        "generated": "Prepared by parlib {version} on {stamp} from the published results.",
        "full_report": "Every table, chart and source is in the full report, {file} "
        '(parlib report "{province}" --year {year} --lang {lang}).',
        "sources": "Sources: {sources}.",
        "no_chart": "No component change to chart for this province and year.",
        "no_priorities": "No priority: no component lost points or lies below the national average in the data.",
        "chart_alt_missing": "Chart of the component changes",
    },
    "vi": {
        "title": "{kind} {province}: kết quả các chỉ số quản trị năm {year} (báo cáo tóm tắt)",
        "results": "Kết quả các chỉ số",
        "components": "Các chỉ số thành phần tăng, giảm",
        "strengths": "Điểm mạnh, điểm yếu",
        "priorities": "Nhiệm vụ ưu tiên và mục tiêu",
        "targets": "Mục tiêu đối với chỉ số tổng hợp",
        "generated": "Báo cáo tóm tắt do parlib {version} tạo lúc {stamp} từ kết quả đã công bố.",
        "full_report": "Toàn bộ bảng số liệu, biểu đồ và nguồn trích dẫn có trong báo cáo đầy đủ, {file} "
        '(parlib report "{province}" --year {year} --lang {lang}).',
        "sources": "Nguồn: {sources}.",
        "no_chart": "Không có thay đổi của chỉ số thành phần để thể hiện bằng biểu đồ.",
        "no_priorities": "Chưa xác định nhiệm vụ ưu tiên: theo số liệu, không có chỉ số thành phần nào giảm điểm "
        "hoặc thấp hơn trung bình toàn quốc.",
        "chart_alt_missing": "Biểu đồ thay đổi của các chỉ số thành phần",
    },
}


#: Provinces side by side (issue 20, ``parlib compare``).
COMPARE = {
    "en": {
        "title": "Governance indices {year}: {names} side by side",
        "generated": "Prepared by parlib {version} on {stamp}; every figure is the one in each province's own report.",
        "scorecards": "Results side by side",
        "components": "Components",
        "components_title": "{index} {year}: components by province",
        "components_alt": "{index} {year}: the scores of {n} components for {names}",
        "national_avg": "national average",
        "trajectories": "Ranks over the years",
        "trajectories_title": "Rank over the years (1 = best)",
        "trajectories_alt": "Ranks of {names} over the years, per index",
        "themes": "Standing on each theme",
        "theme": "Theme",
        "differences": "Which differences exceed the margin of error",
        "pair": "Provinces",
        "measure": "Measure",
        "score_a": "Score of the first",
        "score_b": "Score of the second",
        "difference": "Difference",
        "margin": "Margin of error of the difference ({level}%)",
        "exceeds": "Reading",
        "yes": "exceeds the margin: a real difference",
        "no": "within the margin: the survey cannot tell them apart",
        "total": "{index} (total)",
        "untested": "{index} {what}: parlib's data hold no standard errors for them, so their differences between "
        "provinces are not tested.",
        "no_pairs": "No index with published margins of error has a score for two of these provinces.",
        "rule": "A difference exceeds the margin when it is larger than z·√(se₁² + se₂²), z the level of the published "
        "intervals read from the data.",
        "year": "Year",
        "rank": "Rank",
        "no_theme": "—",
    },
    "vi": {
        "title": "So sánh kết quả các chỉ số quản trị năm {year}: {names}",
        "generated": "Báo cáo so sánh do parlib {version} tạo lúc {stamp}; mọi số liệu trùng với báo cáo của từng "
        "tỉnh.",
        "scorecards": "Kết quả các chỉ số",
        "components": "Các chỉ số thành phần",
        "components_title": "{index} năm {year}: các chỉ số thành phần theo tỉnh",
        "components_alt": "{index} năm {year}: điểm {n} chỉ số thành phần của {names}",
        "national_avg": "trung bình toàn quốc",
        "trajectories": "Thứ hạng qua các năm",
        "trajectories_title": "Thứ hạng qua các năm (1 = cao nhất)",
        "trajectories_alt": "Thứ hạng của {names} qua các năm, theo từng chỉ số",
        "themes": "Kết quả theo từng nhóm nội dung",
        "theme": "Nhóm nội dung",
        "differences": "Chênh lệch vượt sai số của khảo sát",
        "pair": "Địa phương",
        "measure": "Chỉ số",
        "score_a": "Điểm của tỉnh thứ nhất",
        "score_b": "Điểm của tỉnh thứ hai",
        "difference": "Chênh lệch",
        "margin": "Sai số của chênh lệch ({level}%)",
        "exceeds": "Nhận định",
        "yes": "vượt sai số: khác biệt có ý nghĩa",
        "no": "trong phạm vi sai số: khảo sát chưa phân biệt được",
        "total": "{index} (tổng điểm)",
        "untested": "{index}, {what}: dữ liệu của parlib không có sai số chuẩn nên chưa kiểm định chênh lệch giữa "
        "các tỉnh.",
        "no_pairs": "Không có chỉ số nào công bố sai số mà có điểm của hai trong các tỉnh này.",
        "rule": "Chênh lệch vượt sai số khi lớn hơn z·√(se₁² + se₂²), với z là mức của khoảng tin cậy đã công bố, đọc "
        "từ số liệu.",
        "year": "Năm",
        "rank": "Thứ hạng",
        "no_theme": "—",
    },
}


#: The full report's navigation (issue 20): its table of contents and the folded drill-down.
REPORT_NAV = {
    "en": {"toc": "Contents", "drill_open": "Sub-dimensions and survey indicators of {name}"},
    "vi": {"toc": "Mục lục", "drill_open": "Các nội dung thành phần và chỉ báo khảo sát của {name}"},
}
