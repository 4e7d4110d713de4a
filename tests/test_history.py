"""Publication times from git history: real repositories in tmp_path, dates set per commit.

Each scenario builds its repository with the git commands an editor would type; the
property test writes random histories with ``git fast-import`` (one process per example)
and checks them against a plain walk of the same operations in Python.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooks import history
from hooks.history import History, read_history

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def is_draft(blob: bytes) -> bool:
    return b"draft: true" in blob


def hanoi(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def git_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No system or user config, a fixed author, and no repository above tmp_path."""
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Cô Lan")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "lan@example.edu.vn")
        monkeypatch.delenv(f"GIT_{who}_DATE", raising=False)
    return config


def post(title: str, *, draft: bool = False, date: str = "2024-03-08", note: str = "") -> str:
    """A post long enough (20 body lines) for git to see a renamed, slightly edited copy as a rename."""
    head = f"---\ntitle: {title}\ndate: {date}\n" + ("draft: true\n" if draft else "") + "---\n"
    body = "".join(f"Dòng {n} của bài {title}: bình đẳng giới trong nhà trường.\n" for n in range(20))
    return head + body + note


@dataclass
class Repo:
    root: Path

    def git(self, *args: str, when: str | None = None) -> str:
        env = dict(os.environ)
        if when:
            env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def mv(self, src: str, dst: str) -> None:
        (self.root / dst).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", src, dst)

    def commit(self, when: str, message: str = "cập nhật") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "site"
    root.mkdir()
    made = Repo(root)
    made.git("init", "-q")
    return made


def read(posts: Path) -> History:
    return read_history(posts, HANOI, is_draft)


def test_on_time_posts_and_the_branch_root(repo: Repo) -> None:
    repo.write("mkdocs.yml", "site_name: x\n")
    repo.commit("2023-12-01T08:00:00+07:00")  # before any post: still the branch's first commit
    repo.write("posts/2024/2024-03-08-ngay-8-3.md", post("8-3"))
    repo.commit("2024-03-08T09:00:00+07:00")
    repo.write("posts/2024/2024-05-02-he.md", post("Hè", date="2024-05-02"))
    repo.commit("2024-03-31T20:00:00+00:00")  # 03:00 on 1 April in Hà Nội: the next quarter
    got = read(repo.root / "posts")
    assert got.available and not got.shallow and got.reason is None
    assert got.first_commit == hanoi(2023, 12, 1, 8)
    assert dict(got.published) == {
        "2024/2024-03-08-ngay-8-3.md": hanoi(2024, 3, 8, 9),
        "2024/2024-05-02-he.md": hanoi(2024, 4, 1, 3),
    }
    for when in [got.first_commit, *got.published.values()]:
        assert when is not None and when.tzinfo is HANOI and when.utcoffset() == timedelta(hours=7)


def test_backdated_post_counts_from_its_commit(repo: Repo) -> None:
    repo.write("posts/cu.md", post("Bài cũ", date="2023-01-05"))
    repo.commit("2024-05-20T10:00:00+07:00")
    assert read(repo.root / "posts").published == {"cu.md": hanoi(2024, 5, 20, 10)}


def test_draft_counts_from_the_commit_that_publishes_it(repo: Repo) -> None:
    repo.write("posts/a.md", post("A", draft=True))
    repo.commit("2024-03-20T08:00:00+07:00")
    repo.write("posts/a.md", post("A", draft=True, note="Sửa thêm.\n"))
    repo.commit("2024-03-25T08:00:00+07:00")
    repo.write("posts/a.md", post("A"))
    repo.commit("2024-04-03T08:00:00+07:00")
    repo.write("posts/b.md", post("B", draft=True))  # still a draft at HEAD
    repo.commit("2024-04-04T08:00:00+07:00")
    assert read(repo.root / "posts").published == {"a.md": hanoi(2024, 4, 3, 8)}


def test_rename_keeps_the_first_time(repo: Repo) -> None:
    repo.write("posts/ngay-8-3.md", post("8-3"))
    repo.commit("2024-03-08T09:00:00+07:00")
    repo.mv("posts/ngay-8-3.md", "posts/2024/2024-03-08-ngay-8-3.md")
    repo.write("posts/2024/2024-03-08-ngay-8-3.md", post("8-3", note="Ảnh buổi lễ.\n"))
    repo.commit("2024-07-01T09:00:00+07:00")
    repo.mv("posts/2024/2024-03-08-ngay-8-3.md", "posts/2024/phu-nu.md")  # a pure rename
    repo.commit("2024-08-01T09:00:00+07:00")
    assert read(repo.root / "posts").published == {"2024/phu-nu.md": hanoi(2024, 3, 8, 9)}


@pytest.mark.parametrize("main_moved", [False, True], ids=["main-unchanged", "main-moved-on"])
def test_pull_request_counts_from_the_merge(repo: Repo, main_moved: bool) -> None:
    repo.write("posts/a.md", post("A"))
    repo.commit("2024-01-10T08:00:00+07:00")
    repo.git("checkout", "-q", "-b", "bai-moi")
    repo.write("posts/b.md", post("B", draft=True))
    repo.commit("2024-02-01T08:00:00+07:00")
    repo.write("posts/b.md", post("B"))  # published on the branch, before the merge
    repo.commit("2024-02-02T08:00:00+07:00")
    repo.git("checkout", "-q", "main")
    if main_moved:
        repo.write("README.md", "Chuyên mục\n")
        repo.commit("2024-03-01T08:00:00+07:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Gộp bài mới", "bai-moi", when="2024-04-02T15:00:00+07:00")
    assert read(repo.root / "posts").published == {
        "a.md": hanoi(2024, 1, 10, 8),
        "b.md": hanoi(2024, 4, 2, 15),
    }


def test_back_to_draft_and_published_again_keeps_the_first(repo: Repo) -> None:
    repo.write("posts/a.md", post("A"))
    repo.commit("2024-03-08T09:00:00+07:00")
    repo.write("posts/a.md", post("A", draft=True))
    repo.commit("2024-04-08T09:00:00+07:00")
    repo.write("posts/a.md", post("A", note="Bản mới.\n"))
    repo.commit("2024-07-08T09:00:00+07:00")
    repo.write("posts/a.md", post("A", draft=True))  # a draft at HEAD keeps its time too
    repo.commit("2024-10-08T09:00:00+07:00")
    assert read(repo.root / "posts").published == {"a.md": hanoi(2024, 3, 8, 9)}


def test_deleted_and_restored_keeps_the_first(repo: Repo) -> None:
    repo.write("posts/a.md", post("A"))
    repo.commit("2024-03-08T09:00:00+07:00")
    (repo.root / "posts/a.md").unlink()
    repo.write("posts/b.md", post("B"))
    repo.commit("2024-05-08T09:00:00+07:00")
    repo.write("posts/a.md", post("A", note="Khôi phục.\n"))
    repo.commit("2024-09-08T09:00:00+07:00")
    assert read(repo.root / "posts").published == {
        "a.md": hanoi(2024, 3, 8, 9),
        "b.md": hanoi(2024, 5, 8, 9),
    }


def test_names_with_vietnamese_letters_spaces_and_newlines(repo: Repo) -> None:
    names = ["2024/Ngày Phụ nữ Việt Nam 20-10.md", "bài\nhai dòng.md", "[nháp] *.md"]
    for name in names:
        repo.write(f"posts/{name}", post(name))
    repo.commit("2024-10-20T07:30:00+07:00")
    repo.mv("posts/2024/Ngày Phụ nữ Việt Nam 20-10.md", "posts/2024/Ngày 20 tháng 10.md")
    repo.commit("2024-11-01T07:30:00+07:00")
    assert read(repo.root / "posts").published == {
        "2024/Ngày 20 tháng 10.md": hanoi(2024, 10, 20, 7, 30),
        "bài\nhai dòng.md": hanoi(2024, 10, 20, 7, 30),
        "[nháp] *.md": hanoi(2024, 10, 20, 7, 30),
    }


def test_posts_folder_in_a_subfolder(repo: Repo) -> None:
    repo.write("README.md", "Kho của trường\n")
    repo.write("trang/mkdocs.yml", "site_name: x\nextra:\n  column:\n    posts_dir: bài viết\n")
    repo.write("trang/bài viết/2024/a.md", post("A"))
    repo.write("trang/docs/gioi-thieu.md", "# Giới thiệu\n")  # not a post
    repo.write("bai viet/khac.md", post("Khác"))  # look-alike folders: not the posts folder
    repo.write("trang/bài viết cũ/c.md", post("Cũ"))
    repo.write("nhap/b.md", post("B"))  # written outside, moved in later
    repo.commit("2024-01-15T08:00:00+07:00")
    repo.mv("nhap/b.md", "trang/bài viết/2024/b.md")
    repo.commit("2024-04-15T08:00:00+07:00")
    got = read(repo.root / "trang" / "bài viết")
    assert got.published == {"2024/a.md": hanoi(2024, 1, 15, 8), "2024/b.md": hanoi(2024, 4, 15, 8)}
    assert got.first_commit == hanoi(2024, 1, 15, 8)


def test_uncommitted_files_have_no_entry(repo: Repo) -> None:
    repo.write("posts/a.md", post("A"))
    repo.commit("2024-03-08T09:00:00+07:00")
    repo.write("posts/staged.md", post("Staged"))
    repo.git("add", "posts/staged.md")
    repo.write("posts/new.md", post("New"))
    assert read(repo.root / "posts").published == {"a.md": hanoi(2024, 3, 8, 9)}


def test_unreadable_version_is_not_published(repo: Repo) -> None:
    def strict(blob: bytes) -> bool:
        if b"title: [" in blob:
            raise ValueError("front matter")
        return is_draft(blob)

    repo.write("posts/a.md", post("[hỏng"))
    repo.commit("2024-03-08T09:00:00+07:00")
    repo.write("posts/a.md", post("Đã sửa"))
    repo.commit("2024-04-08T09:00:00+07:00")
    assert read_history(repo.root / "posts", HANOI, strict).published == {"a.md": hanoi(2024, 4, 8, 9)}


def test_a_missing_object_makes_history_unavailable(repo: Repo) -> None:
    repo.write("posts/a.md", post("A"))
    repo.commit("2024-03-08T09:00:00+07:00")
    blob = repo.git("rev-parse", "HEAD:posts/a.md").strip()
    (repo.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    got = read(repo.root / "posts")
    assert not got.available and got.reason is not None and blob in got.reason


def test_a_bug_in_the_callers_parser_is_not_hidden(repo: Repo) -> None:
    def broken(blob: bytes) -> bool:
        raise KeyError("draft")

    for n in range(50):
        repo.write(f"posts/{n}.md", post(str(n)) * 20)  # more than a pipe holds, still unread
    repo.commit("2024-03-08T09:00:00+07:00")
    with pytest.raises(KeyError):
        read_history(repo.root / "posts", HANOI, broken)


def test_reads_versions_only_until_first_publication(repo: Repo) -> None:
    seen: list[bytes] = []

    def recording(blob: bytes) -> bool:
        seen.append(blob)
        return is_draft(blob)

    repo.write("posts/a.md", post("A", draft=True))
    repo.write("posts/b.md", post("B"))
    repo.commit("2024-01-01T08:00:00+07:00")
    repo.write("posts/a.md", post("A", draft=True, note="1\n"))
    repo.write("posts/b.md", post("B", note="1\n"))
    repo.commit("2024-02-01T08:00:00+07:00")
    repo.write("posts/a.md", post("A", note="2\n"))
    repo.write("posts/b.md", post("B", note="2\n"))
    repo.commit("2024-03-01T08:00:00+07:00")
    for n in range(3):
        repo.write("posts/a.md", post("A", note=f"sau {n}\n"))
        repo.commit(f"2024-04-0{n + 1}T08:00:00+07:00")
    got = read_history(repo.root / "posts", HANOI, recording)
    assert got.published == {"a.md": hanoi(2024, 3, 1, 8), "b.md": hanoi(2024, 1, 1, 8)}
    assert sorted(seen) == sorted(
        p.encode()
        for p in [post("A", draft=True), post("A", draft=True, note="1\n"), post("A", note="2\n"), post("B")]
    )


def test_a_users_git_config_changes_nothing(repo: Repo, git_env: Path) -> None:
    repo.write("HEAD", "Một tệp tên HEAD ở gốc kho.\n")
    repo.write("trang/posts/a.md", post("A"))
    repo.commit("2024-01-15T08:00:00+07:00")
    repo.mv("trang/posts/a.md", "trang/posts/2024/Bài A.md")
    repo.write("trang/posts/2024/Bài A.md", post("A", note="Sửa.\n"))
    repo.commit("2024-04-15T08:00:00+07:00")
    expected = read(repo.root / "trang" / "posts")
    git_env.write_text(
        "[log]\n\tshowRoot = false\n\tfollow = true\n\tdecorate = full\n\tdate = relative\n"
        "[diff]\n\trelative = true\n\trenames = copies\n\tnoprefix = true\n\tmnemonicPrefix = true\n"
        "[core]\n\tquotePath = true\n[color]\n\tui = always\n[format]\n\tpretty = oneline\n"
        "[pager]\n\tlog = false\n",
        encoding="utf-8",
    )
    assert read(repo.root / "trang" / "posts") == expected
    assert expected.published == {"2024/Bài A.md": hanoi(2024, 1, 15, 8)}


def test_shallow_clone_is_unavailable(repo: Repo, tmp_path: Path) -> None:
    repo.write("posts/a.md", post("A"))
    repo.commit("2024-01-15T08:00:00+07:00")
    repo.write("posts/b.md", post("B"))
    repo.commit("2024-04-15T08:00:00+07:00")
    clone = tmp_path / "clone"
    Repo(tmp_path).git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    got = read(clone / "posts")
    assert not got.available and got.shallow
    assert got.published == {} and got.first_commit is None
    assert got.reason is not None and "shallow" in got.reason


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    got = read(tmp_path / "posts")
    assert got == History(available=False, reason="thư mục trang không phải kho git")


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("no-commits", "kho git chưa có commit nào"),
        ("no-folder", "không tìm thấy thư mục bài viết"),
        ("no-git", "không tìm thấy lệnh git"),
    ],
)
def test_other_reasons_for_no_history(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, case: str, reason: str
) -> None:
    posts = repo.root / "posts"
    if case != "no-folder":
        posts.mkdir()
    if case == "no-git":
        monkeypatch.setattr(history, "GIT", "git-khong-co-that")
    got = read(posts)
    assert not got.available and not got.shallow and got.reason is not None
    assert got.reason.startswith(reason)


# The property: random first-parent histories against a plain walk of the same operations.

BASE = datetime(2023, 1, 1, tzinfo=timezone.utc)


@dataclass
class Model:
    """The reference: which post is at which path, its draft state, and when it first went public."""

    live: dict[str, int] = field(default_factory=dict)  # path -> post id
    gone: dict[str, int] = field(default_factory=dict)  # deleted path -> the post last there
    draft: dict[int, bool] = field(default_factory=dict)
    edits: dict[int, int] = field(default_factory=dict)
    first: dict[int, datetime] = field(default_factory=dict)
    names: int = 0

    def text(self, ident: int) -> bytes:
        """Unique lines per post, so git pairs a renamed file with its own old name only."""
        lines = [f"---\ntitle: Bài số {ident}\n", "draft: true\n" if self.draft[ident] else ""]
        lines += [f"---\nBài {ident}, lần sửa {self.edits[ident]}.\n"]
        lines += [f"Dòng {n} của bài {ident}: giáo viên và học sinh.\n" for n in range(24)]
        return "".join(lines).encode()

    def fresh_path(self, folder: int) -> str:
        self.names += 1
        return f"{2020 + folder}/bài số {self.names}.md"

    def published_at(self, when: datetime) -> None:
        for ident in self.live.values():
            if not self.draft[ident] and ident not in self.first:
                self.first[ident] = when


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def _commit(
    ref: str, mark: int, when: datetime, offset: str, parents: list[int], files: list[bytes]
) -> bytes:
    seconds = int(when.timestamp())
    head = f"commit {ref}\nmark :{mark}\ncommitter Cô Lan <lan@example.edu.vn> {seconds} {offset}\n"
    out = head.encode() + _data(b"ghi")
    if parents:
        out += f"from :{parents[0]}\n".encode()
    for parent in parents[1:]:
        out += f"merge :{parent}\n".encode()
    return out + b"".join(files)


def _do(model: Model, op: tuple[str, ...], ident_new: int) -> list[bytes]:
    """Apply one operation to the model; return the fast-import file commands that make it."""
    kind, path = op[0], op[1]
    files: list[bytes] = []
    if kind == "create":
        ident = model.live[path] = ident_new
        model.draft[ident], model.edits[ident] = op[2] == "draft", 0
    elif kind == "restore":
        ident = model.live[path] = model.gone.pop(path)
        model.draft[ident], model.edits[ident] = op[2] == "draft", model.edits[ident] + 100
    elif kind == "delete":
        model.gone[path] = model.live.pop(path)
        return [f"D posts/{path}\n".encode()]
    elif kind == "rename":
        ident = model.live.pop(path)
        files.append(f"D posts/{path}\n".encode())
        path = op[2]
        model.live[path] = ident
        model.edits[ident] += 1  # one line of 27 changes: still a rename to git
    else:  # toggle or edit, in place
        ident = model.live[path]
        if kind == "toggle":
            model.draft[ident] = not model.draft[ident]
        else:
            model.edits[ident] += 1
    files.append(f"M 100644 inline posts/{path}\n".encode() + _data(model.text(ident)))
    return files


@st.composite
def histories(draw: st.DrawFn) -> tuple[bytes, dict[str, datetime], datetime]:
    """A fast-import stream of 1-10 first-parent commits (some merges), and what they should give.

    Within one commit (or one pull request) no path is touched twice: git sees only the
    net change, and two operations on one path could leave it two readings.
    """
    model = Model()
    outside = b"M 100644 inline README.md\n" + _data("Trường Mầm non Hoa Sen\n".encode())
    stream, mark, tip, when = b"", 0, 0, BASE
    next_ident = 0
    first: datetime | None = None
    for _ in range(draw(st.integers(1, 10))):
        when += timedelta(minutes=draw(st.integers(1, 200_000)))
        first = first or when
        offset = draw(st.sampled_from(["+0700", "+0000", "-0500", "+0545"]))
        steps: list[list[bytes]] = []
        touched: set[str] = set()
        for _ in range(draw(st.integers(1, 3))):
            free = sorted(p for p in model.live if p not in touched)
            back = sorted(p for p in model.gone if p not in touched and p not in model.live)
            choices = ["create"] + (["toggle", "edit", "rename", "delete"] if free else [])
            kind = draw(st.sampled_from(choices + (["restore"] if back else [])))
            if kind == "create":
                state = draw(st.sampled_from(["draft", "public"]))
                op: tuple[str, ...] = (kind, model.fresh_path(draw(st.integers(0, 2))), state)
            elif kind == "restore":
                op = (kind, draw(st.sampled_from(back)), draw(st.sampled_from(["draft", "public"])))
            elif kind == "rename":
                op = (kind, draw(st.sampled_from(free)), model.fresh_path(draw(st.integers(0, 2))))
            else:
                op = (kind, draw(st.sampled_from(free)))
            touched.update(op[1:3] if kind == "rename" else op[1:2])
            steps.append(_do(model, op, next_ident))
            next_ident += kind == "create"
        net = [command for step in steps for command in step]
        if tip and draw(st.booleans()):
            # A pull request: one commit per operation, dated long before the merge.
            branch = tip
            for n, step in enumerate(steps):
                mark += 1
                stream += _commit(
                    "refs/heads/pr", mark, when - timedelta(days=400 - n), offset, [branch], step
                )
                branch = mark
            mark += 1
            stream += _commit("refs/heads/main", mark, when, offset, [tip, branch], net)
        else:
            mark += 1
            stream += _commit("refs/heads/main", mark, when, offset, [tip] if tip else [], net + [outside])
        tip = mark
        model.published_at(when)
    expected = {path: model.first[ident] for path, ident in model.live.items() if ident in model.first}
    assert first is not None
    return stream, expected, first


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories())
def test_matches_a_walk_of_the_same_operations(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[bytes, dict[str, datetime], datetime]
) -> None:
    stream, expected, first = case
    root = tmp_path_factory.mktemp("prop")
    Repo(root).git("init", "-q")
    done = subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    (root / "posts").mkdir()
    got = read(root / "posts")
    assert got.available
    assert got.first_commit == first
    assert dict(got.published) == expected
    assert all(when.tzinfo is HANOI for when in got.published.values())
