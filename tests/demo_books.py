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
