"""The 政府信息公开工作年度报告 (annual report, 条例 2019 第四十九条、第五十条): its table formats
as data (:mod:`.format`, :mod:`.format_model`), section 三 counted from the request ledger
(:mod:`.report`, results in :mod:`.table`).

Layer: above ``ledgers`` (it reads ledgers), below ``outputs`` and ``cli``.
"""
