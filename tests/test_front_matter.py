"""The front-matter fast path reads exactly what PyYAML reads, for the front matter posts have."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hooks.front_matter import _FrontMatterLoader, simple_front_matter

_SAMPLE_CHARS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĐƯ áàảãạ 0123456789-/.():#'\"[]{},&*!|>%@`\\\t?~=+_\u00a0\u2028"
)
_WORDISH = st.text(alphabet="aăâbcdđeêghiklmnoôơưyAĐƯ áàảãạ", min_size=1, max_size=16)
_VALUES = st.one_of(
    _WORDISH,  # mostly plain words, which the fast path takes
    st.tuples(_WORDISH, st.sampled_from(_SAMPLE_CHARS), _WORDISH).map("".join),  # one odd character
    st.lists(_WORDISH, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
    st.text(alphabet=_SAMPLE_CHARS, min_size=0, max_size=20),
    st.sampled_from(
        ["yes", "No", "TRUE", "off", "null", "~", "y", "n", "2024-11-20", "2024", "1.5", ".inf", "0x1F"]
    ),
    st.lists(st.text(alphabet=_SAMPLE_CHARS, max_size=8), max_size=3).map(
        lambda xs: "[" + ", ".join(xs) + "]"
    ),
)


@settings(max_examples=1000)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["title", "date", "tags", "draft", "summary", "author", "x_y", "Title"]), _VALUES
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([": ", ": ", ": ", ":  ", ":", ":\t"]),
)
def test_fast_front_matter_reads_what_pyyaml_reads(lines: list[tuple[str, str]], colon: str) -> None:
    fm = "\n".join(f"{key}{colon}{value}" for key, value in lines)
    fast = simple_front_matter(fm)
    if fast is None:
        return  # not simple: PyYAML reads it
    assert fast == yaml.load(fm, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader


def test_fast_front_matter_takes_the_usual_posts() -> None:
    usual = "title: Bình đẳng giới trong gia đình\ndate: 2024-11-20\ntags: [Gia đình, Tháng hành động]\ndraft: false"
    assert simple_front_matter(usual) == {
        "title": "Bình đẳng giới trong gia đình",
        "date": "2024-11-20",
        "tags": ["Gia đình", "Tháng hành động"],
        "draft": False,
    }
    for tricky in (
        "title: 'Ngày 8/3'",
        "title: Ngày 8/3: lời cảm ơn",
        "title: 2024",
        "tags:\n  - a",
        "title: a # b",
    ):
        assert simple_front_matter(tricky) is None, tricky
