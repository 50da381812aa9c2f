"""Binder's pinned set installs in a fresh virtual environment, runs every workshop notebook and serves the app."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_binder_pins_install_and_run_the_notebooks(tmp_path):
    if sys.version_info[:2] != (3, 11):
        pytest.skip("binder/runtime.txt pins Python 3.11")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["-r", str(ROOT / "binder" / "requirements.txt")], check=True)
    subprocess.run(pip + ["--no-deps", str(ROOT)], check=True)
    out = tmp_path / "out"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{env_dir / 'bin'}:{env['PATH']}"
    code = ("import sys, pathlib, papermill as pm\n"
            "for nb in sorted(pathlib.Path(sys.argv[1]).glob('*.ipynb')):\n"
            "    pm.execute_notebook(str(nb), str(pathlib.Path(sys.argv[2]) / nb.name), cwd=sys.argv[2],\n"
            "                        kernel_name='python3', progress_bar=False)\n"
            "import r2kit; print('r2kit from', r2kit.__file__)")
    result = subprocess.run([str(python), "-c", code, str(ROOT / "notebooks"), str(out)], env=env, cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert str(env_dir) in result.stdout, "the notebooks must run on the venv's installed r2kit"
    assert len(list(out.glob("*.ipynb"))) == len(list((ROOT / "notebooks").glob("*.ipynb")))
    # The app (urlpath=voila/render/...): Voila's server extension is on and r2kit's template is installed.
    app = ("from voila.paths import collect_template_paths\n"
           "print([p for p in collect_template_paths(['voila'], 'r2kit', prune=True) if p.endswith('r2kit')])")
    result = subprocess.run([str(python), "-c", app], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and str(env_dir / "share" / "jupyter") in result.stdout, result.stderr[-3000:]
    result = subprocess.run([str(env_dir / "bin" / "jupyter"), "server", "extension", "list"], env=env,
                            cwd=tmp_path, capture_output=True, text=True)
    assert re.search(r"voila\.server_extension.*enabled", result.stdout + result.stderr), result.stdout + result.stderr
