"""A student's teach project on disk: classes by id, examples owned, never another's."""

import numpy as np
import pytest

from core.errors import InputError
from lab.teach import storage


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_HOME", str(tmp_path))
    return tmp_path


def ink(k: int) -> np.ndarray:
    img = np.zeros((28, 28), np.float32)
    img[4 + k % 10, 4:24] = 1.0
    return img


def test_classes_add_rename_delete_keep_their_examples():
    a, b = storage.add_class("alice1", "circle"), storage.add_class("alice1", "arrow")
    storage.add_example("alice1", a.id, ink(0))
    storage.add_example("alice1", a.id, ink(1))
    storage.rename_class("alice1", a.id, "ring")
    project = storage.load("alice1")
    assert project.names == ["ring", "arrow"] and project.counts() == [2, 0]
    x, y = project.training_data()
    assert x.shape == (2, 28, 28) and x.dtype == np.uint8 and list(y) == [0, 0]
    storage.delete_class("alice1", a.id)
    project = storage.load("alice1")
    assert project.names == ["arrow"] and project.counts() == [0]
    assert not list(storage.project_dir("alice1").glob("teach-*.png"))  # the class's files went too
    storage.rename_class("alice1", b.id, "ARROW ")  # its own name in other letters: allowed
    assert storage.load("alice1").names == ["ARROW"]


def test_rename_to_its_own_name_is_fine_but_not_to_anothers():
    a, b = storage.add_class("bob1", "one"), storage.add_class("bob1", "two")
    storage.rename_class("bob1", a.id, "ONE")
    with pytest.raises(InputError) as e:
        storage.rename_class("bob1", b.id, "one")
    assert e.value.code == "teach.duplicate_name"
    with pytest.raises(InputError) as e:
        storage.add_example("bob1", "deadbeef", ink(0))
    assert e.value.code == "teach.unknown_class"


def test_at_most_ten_classes():
    for i in range(10):
        storage.add_class("carol1", f"c{i}")
    with pytest.raises(InputError) as e:
        storage.add_class("carol1", "eleven")
    assert e.value.code == "teach.too_many_classes"


def test_examples_are_the_owners_alone():
    a = storage.add_class("alice1", "circle")
    path = storage.add_example("alice1", a.id, ink(0))
    assert storage.load("mallory1").names == [] and storage.load("mallory1").counts() == []
    with pytest.raises(ValueError):  # not in mallory's folder: refused, kept
        storage.delete_example("mallory1", path)
    assert path.exists() and "-oalice1" in path.name
    assert storage.delete_example("alice1", path) and not path.exists()
    assert storage.delete_example("alice1", path) is False  # gone already: done


def test_replace_checks_first_then_swaps_the_whole_project():
    a = storage.add_class("dan1", "old")
    storage.add_example("dan1", a.id, ink(0))
    with pytest.raises(InputError):
        storage.replace("dan1", ["x", "X"], [np.stack([ink(1)]), np.stack([ink(2)])])
    assert storage.load("dan1").names == ["old"]  # a refused import changes nothing
    project = storage.replace("dan1", ["p", "q"], [np.stack([ink(1), ink(2)]), np.stack([ink(3)])])
    assert project.names == ["p", "q"] and project.counts() == [2, 1]
