"""tools.change_spread: renames are followed to today's path; a lesson folder counts once."""

from tools import change_spread as cs


def test_a_path_is_followed_through_every_rename():
    commits = [("a", [("pages/gan.py", "pages/gan.py"), ("ui/gan_views.py", "ui/gan_views.py")]),
               ("b", [("pages/gan.py", "lab/gan/page.py")]),
               ("c", [("ui/gan_views.py", "lab/gan/view.py"), ("lab/gan/page.py", "lab/gan/page.py")]),
               ("d", [("lab/gan/view.py", "lab/gan/view_explore.py")])]
    today = cs._today(commits)
    assert today["pages/gan.py"] == "lab/gan/page.py"
    assert today["ui/gan_views.py"] == "lab/gan/view_explore.py"  # two renames
    assert today["lab/gan/view.py"] == "lab/gan/view_explore.py"


def test_the_lesson_folder_counts_once_and_tests_are_not_outside_code():
    then = {"pages/gan.py", "ui/gan_views.py", "core/gan_training/loop.py", "tests/unit/test_gan.py"}
    now = {"lab/gan/page.py", "lab/gan/view.py", "lab/gan/training/loop.py", "tests/unit/test_gan.py"}
    assert cs._places(then, "lab/gan/") == 4 and cs._places(now, "lab/gan/") == 2
    assert cs._outside(then, "lab/gan/") == 3 and cs._outside(now, "lab/gan/") == 0
