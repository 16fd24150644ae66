"""The smallest end-to-end check: a committed project builds and checks clean."""

from conftest import NOW, run_bip


def test_build_and_check(project):
    root = project()
    checked = run_bip(root, "check", "--now", NOW)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_bip(root, "build", "--now", NOW)
    assert built.returncode == 0, built.stderr
    page = root / "public/gmina-testowa/uchwaly/uchwala-xii-123-2024/index.html"
    assert "XII/123/2024" in page.read_text(encoding="utf-8")
    assert (root / "public/index.html").is_file()
