"""Reading YAML faster (issue 12) changes no answer: the composer's tags remembered per document
(``_yaml_composer``) and text scalars taken without a call (``_yaml._Builder``) give the data
PyYAML gives, and an exceeded limit is found at the same node as before."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclose._yaml import MAX_ALIAS_NODES, load_yaml_text

# Scalars that resolve differently plain and quoted (true, 1, null, 1.5, ~, yes) and text.
_SCALARS = (st.sampled_from(["true", "false", "yes", "no", "on", "null", "~", "1", "0x1f",
                             "1.5", ".inf", "", "a b", "x", "key", "1_000"])
            | st.text(max_size=6) | st.booleans() | st.none() | st.integers(-1000, 1000)
            | st.floats(-1e6, 1e6))
_DATA = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["a", "b", "true", "1", "null", "x y", "key"]), inner,
                      max_size=4), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(_DATA, st.sampled_from([None, True, False]))
def test_a_document_reads_as_pyyaml_reads_it(data: Any, flow: bool | None) -> None:
    text = yaml.safe_dump({"doc": data, "again": data}, default_flow_style=flow,
                          allow_unicode=True)
    doc = load_yaml_text(text)
    assert doc.problems == ()
    assert doc.data == yaml.safe_load(text)


def test_the_same_text_plain_and_quoted_keeps_its_own_tag() -> None:
    # the tag remembered for the plain ``true`` is not the quoted one's
    doc = load_yaml_text("a: true\nb: 'true'\nc: true\nd: \"true\"\ne: [1, '1', 1]\n")
    assert doc.data == {"a": True, "b": "true", "c": True, "d": "true", "e": [1, "1", 1]}


def _alias_bomb(scalars: int, references: int) -> str:
    items = ", ".join(["x"] * scalars)
    return f"a: &a [{items}]\nb: [{', '.join(['*a'] * references)}]\n"


def test_an_expansion_past_the_budget_stops_at_the_same_text_scalar() -> None:
    # Worked by hand: written, the root, key a, its list and 20 scalars, key b and its list
    # are 25 nodes; the budget is 25 + MAX_ALIAS_NODES.  Each *a adds its list and 20
    # scalars (21 nodes), so the node that passes the budget is the 10,001st added:
    # 10,000 = 476 × 21 + 4, the 4th node of copy 476: its list, then scalars 0, 1, 2 —
    # it is scalar 3.
    assert MAX_ALIAS_NODES == 10_000
    doc = load_yaml_text(_alias_bomb(20, 500))
    assert doc.data is None
    assert [(p.code, p.path) for p in doc.problems] == [("yaml.aliases", ("b", 476, 3))]


def test_an_expansion_past_the_budget_at_a_list_stops_there() -> None:
    # 24 scalars: each copy adds 25 nodes, and 10,000 = 400 × 25: the 10,001st added is the
    # list of copy 400 itself.
    doc = load_yaml_text(_alias_bomb(24, 420))
    assert [(p.code, p.path) for p in doc.problems] == [("yaml.aliases", ("b", 400))]
