"""The head of the small demo rulebook several tests extend (a child of the national book with
one source), so that each test states only what it is about."""

DEMO_HEAD = """\
id: demo
name: 示例区
extends: national
sources:
  demo-rules:
    title: 示例区政府信息公开办法
    number: null
    date: null
"""

#: An item limit of the demo book, counted from its own event; ``AMOUNT`` stands for the number
#: of working days (tests put a value, or a hostile one, in its place).
DEMO_ITEM_LIMIT = """\
events:
  item.issued: {label: 印发之日}
limits:
  item.transfer_to_publisher:
    label: 移交发布
    actor: office
    about: item
    values:
      - amount: AMOUNT
        unit: working_days
        from: item.issued
        cite: {source: demo-rules, article: 第三条}
"""
