from pathlib import Path

import pytest

from site_src.config import ConfigError, config_from_dict, load_config

from conftest import REPO


def test_project_config_loads_with_the_four_named_topics():
    config = load_config(REPO / "researchmap.toml")
    assert [t.slug for t in config.named_topics] == ["moe", "kv-cache", "distributed-training", "peft"]
    assert config.root == REPO


def test_a_config_naming_no_topics_gets_the_four_and_a_list_replaces_them():
    """The four named topics are researchmap's, not the repo config's: a project with no
    config, or one that leaves them out, has them; a list of its own replaces them."""
    default = config_from_dict({})
    assert [t.slug for t in default.named_topics] == ["moe", "kv-cache", "distributed-training", "peft"]
    assert all(t.keywords and t.description for t in default.named_topics)
    assert config_from_dict({"named_topics": []}).named_topics == ()
    own = config_from_dict({"named_topics": [{"slug": "rag", "name": "Retrieval-augmented generation", "keywords": ["RAG"]}]})
    assert [t.slug for t in own.named_topics] == ["rag"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"titel": "x"}, "unknown key 'titel'"),
        ({"topics": {"kk": 3}}, "unknown key 'topics.kk'"),
        ({"page_size": "many"}, "page_size: expected int, got str"),
        ({"paper_pages": 1}, "paper_pages: expected bool, got int"),
        ({"topics": {"k": True}}, "topics.k: expected int, got bool"),
        ({"named_topics": [{"slug": "a", "name": "A", "keywords": "x"}]}, "named_topics[0].keywords: expected list of str"),
        ({"topics": {"k_min": 9, "k_max": 3}}, "k_min <= k_max"),
        ({"named_topics": [{"slug": "other", "name": "Other", "keywords": ["x"]}]}, "the slug 'other' is reserved"),
        # values of the right type out of range
        ({"year": -5}, "year: expected 0 .unknown. or a year 1900-2200, got -5"),
        ({"feed_size": -3}, "feed_size: expected an int >= 1, got -3"),
        ({"topics": {"similar": -1}}, "topics.similar: expected an int >= 0"),
        ({"topics": {"outlier_similarity": 5.0}}, "topics.outlier_similarity: expected a number from 0"),
        ({"topics": {"named_threshold": 2}}, "topics.named_threshold: expected a number between 0 and 1"),
        ({"topics": {"max_features": 0}}, "topics.max_features: expected an int >= 100"),
        ({"topics": {"random_state": -1}}, "topics.random_state: expected an int from 0"),
        ({"base_url": "not a url"}, "base_url: expected an absolute http"),
        ({"named_topics": [{"slug": "x y/z", "name": "X", "keywords": ["x"]}]}, "named_topics 'x y/z': a slug is lowercase"),
        ({"named_topics": [{"slug": "a", "keywords": ["x"]}]}, "named_topics[0]: missing key 'name'"),
        ({"named_topics": [{"slug": "a", "name": "A", "keywords": ["x"], "reading": "mixture"}]},
         "named_topics 'a': reading 'mixture' names no default topic .the shipped reading models are moe, kv-cache, distributed-training, peft."),
    ],
)
def test_bad_config_names_the_key_and_type(data, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        config_from_dict(data)


def test_config_file_errors_name_the_file_and_line(tmp_path: Path, monkeypatch):
    """As content errors do: file:line: message, the line of the key a check names."""
    bad = tmp_path / "site.toml"
    tail = '[topics]\n# k_min = 1 in a comment\nk = 0\nk_min = "a"\n\n[[named_topics]]\nslug = "a"\nname = "A"\nkeywords = ["x"]\n'
    cases = [
        ('title = "x"\ntheme = 3\n', r"site.toml:2: theme: expected str, got int"),
        ("title = \n", r"site.toml:1: Invalid value \(column 9\)"),
        ("title = [1,\n", r"site.toml:1: Invalid value at the end of the file"),
        ('title = "x"\n' + tail, r"site.toml:5: topics.k_min: expected int, got str 'a'"),
        ('title = "x"\n' + tail.replace("k = 0", "kk = 0"), r"site.toml:4: unknown key 'topics.kk'"),
        ('title = "x"\n' + tail.replace('k_min = "a"', "k_min = 2") + '\n[[named_topics]]\nslug = "B b"\nname = "B"\nkeywords = [1]\n',
         r"site.toml:15: named_topics\[1\].keywords\[0\]: expected str"),
        ('title = "x"\n' + tail.replace('k_min = "a"', "k_min = 2") + '\n[[named_topics]]\nslug = "B b"\nname = "B"\nkeywords = ["y"]\n',
         r"site.toml:13: named_topics 'B b': a slug is"),
        ("page_size = 3\n", r"site.toml:1: page_size: expected an int >= 10"),
        ('title = "x"\n\n[topics.sub]\n', r"site.toml:3: unknown key 'topics.sub'"),
        ('title = "x"\n' + tail.replace('k_min = "a"', "k_min = 2") + '\n[[named_topics]]\nname = "B"\nkeywords = ["y"]\n',
         r"site.toml:12: named_topics\[1\]: missing key 'slug'"),
    ]
    for text, message in cases:
        bad.write_text(text)
        with pytest.raises(ConfigError, match=message):
            load_config(bad)
    # named from the working folder, however the path was given (serve passes it absolute)
    monkeypatch.chdir(tmp_path)
    bad.write_text("page_size = 3\n")
    with pytest.raises(ConfigError, match=r"^site.toml:1: page_size"):
        load_config(bad.resolve())
    bad.write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"site.toml: not valid UTF-8"):
        load_config(bad)


def test_base_path():
    assert config_from_dict({"base_url": "https://u.github.io/repo"}).base_path == "/repo/"
    assert config_from_dict({"base_url": "https://example.org/"}).base_path == "/"
