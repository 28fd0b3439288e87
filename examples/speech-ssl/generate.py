#!/usr/bin/env python3
"""Write the synthetic speech-SSL study under examples/speech-ssl/runs/.

Plain Python 3 (>= 3.10) standard library; deterministic: running it twice gives
byte-identical files on any machine. Every number comes from the CONDITIONS
table below. Each condition's values are drawn as seeded normal variates, then
standardised so that the per-condition sample mean and sample std (ddof = 1) of
each metric equal the table's values exactly, before rounding to 2 decimals.

Usage:  python3 examples/speech-ssl/generate.py   (rewrites runs/ from scratch)
"""

import datetime
import hashlib
import json
import math
import random
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = HERE / "runs"

SEEDS = [42, 43, 44, 45, 46]
GPU = "NVIDIA A100-SXM4-40GB"
MAX_STEPS = 400000


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Split checksums: identical in every run (the same data everywhere).
DATA_SHA = {
    "train": sha256_hex("librispeech/train-clean-100/manifest.tsv@v1"),
    "dev": sha256_hex("librispeech/dev-clean/manifest.tsv@v1"),
    "test": sha256_hex("librispeech/test-clean/manifest.tsv@v1"),
}
GIT_COMMIT = hashlib.sha1(b"speech-ssl@masking-study").hexdigest()

# The baseline's full Hydra config (seed, run_name and paths are filled per run).
BASE_CONFIG = {
    "model": {
        "name": "hubert_base",
        "encoder_layers": 12,
        "encoder_embed_dim": 768,
        "latent_dim": 256,
        "codebook_size": 500,
        "masking": "random",
        "mask_prob": 0.65,
        "mask_length": 10,
        "aux_loss_weight": 0.1,
        "dropout": 0.1,
    },
    "optim": {
        "name": "adam",
        "lr": 0.0005,
        "betas": [0.9, 0.98],
        "weight_decay": 0.01,
        "warmup_steps": 32000,
        "scheduler": "polynomial_decay",
    },
    "trainer": {
        "max_steps": MAX_STEPS,
        "max_tokens": 1400000,
        "precision": "bf16-mixed",
        "grad_clip": 10.0,
        "devices": 1,
        "log_every_n_steps": 500,
        "val_every_n_steps": 50000,
    },
    "data": {
        "name": "librispeech",
        "train_subset": "train-clean-100",
        "dev_subset": "dev-clean",
        "test_subset": "test-clean",
        "sample_rate": 16000,
        "max_sample_size": 250000,
        "train_sha256": DATA_SHA["train"],
    },
    "seed": 0,
    "run_name": "",
    "paths": {"data_dir": "/datasets/librispeech", "output_dir": ""},
}

# The method = baseline + span masking (the one studied key).
METHOD = {"model.masking": "span"}


def cond(path, changes, wer, cer, seeds=SEEDS, suffix=None):
    """One condition: config changes (dotted key -> value) against the baseline,
    true (mean, std) of test.wer and test.cer, the seeds, and the override
    hash suffix (None for a clean condition)."""
    return {
        "path": path,
        "changes": changes,
        "wer": wer,
        "cer": cer,
        "seeds": seeds,
        "suffix": suffix,
    }


CONDITIONS = [
    cond("exp0_baseline_hubert", {}, (20.00, 0.40), (6.20, 0.13)),
    cond("exp1_new_masking", METHOD, (18.80, 0.30), (5.83, 0.10)),
    cond("exp1_new_masking", {**METHOD, "model.latent_dim": 512},
         (18.70, 0.30), (5.80, 0.10), seeds=[42, 43, 44], suffix="a3f8c1"),
    cond("exp2_bigger_codebook", {"model.codebook_size": 1000},
         (19.90, 0.40), (6.17, 0.13)),
    cond("exp2_bigger_codebook", {"model.codebook_size": 1000, "optim.lr": 0.001},
         (20.25, 0.45), (6.28, 0.14), seeds=[42, 43, 44], suffix="b71e09"),
    cond("ablations/no_span_masking", {"model.masking": "random"},
         (20.00, 0.38), (6.20, 0.12)),
    cond("ablations/no_auxiliary_loss", {**METHOD, "model.aux_loss_weight": 0.0},
         (20.30, 0.45), (6.29, 0.14)),
    cond("ablations/smaller_codebook", {**METHOD, "model.codebook_size": 250},
         (18.90, 0.35), (5.86, 0.11)),
]

# index.yaml of each condition folder that has override runs, written verbatim
# (map form in exp1, Hydra-list form in exp2; DESIGN section 2 accepts both).
INDEX_YAML = {
    "exp1_new_masking": ("a3f8c1: {model.latent_dim: 512}\n",
                         {"a3f8c1": {"model.latent_dim": 512}}),
    "exp2_bigger_codebook": ('b71e09: ["optim.lr=0.001"]\n',
                             {"b71e09": ["optim.lr=0.001"]}),
}

# A repeat of exp1_new_masking/seed_42_a3f8c1 (same seed, same overrides),
# run again later: the values differ by GPU nondeterminism.
REPEAT = {
    "of": ("exp1_new_masking", "a3f8c1", 42),
    "stamp": "20260212_143022",
    "delta": {"test.wer": 0.07, "test.cer": 0.02, "dev.wer": 0.05, "dev.cer": 0.02},
}

# A run that crashed (CUDA OOM) and left no results file.
FAILED = ("exp1_new_masking", 47)

HOSTS = ["gpu-a100-03", "gpu-a100-04", "gpu-a100-07", "gpu-a100-11"]


# --------------------------------------------------------------------------
# Seeded numbers


def stream(*parts):
    """A random.Random seeded from a stable hash of `parts`."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def normals(rng, n):
    """n standard normal draws by Box-Muller on rng.random() (stable across
    Python versions, unlike random.gauss internals)."""
    out = []
    while len(out) < n:
        u1 = 1.0 - rng.random()
        u2 = rng.random()
        r = math.sqrt(-2.0 * math.log(u1))
        out.append(r * math.cos(2.0 * math.pi * u2))
        out.append(r * math.sin(2.0 * math.pi * u2))
    return out[:n]


def standardise(z):
    m = statistics.fmean(z)
    s = statistics.stdev(z)
    return [(x - m) / s for x in z]


def draw_values(c):
    """Per-seed metric values of condition c: {seed: {metric: value}}.
    Draws again (next attempt number, still deterministic) while two seeds
    share a rounded value, so rank-based tests see no ties."""
    for attempt in range(100):
        values = draw_attempt(c, attempt)
        columns = zip(*(v.values() for v in values.values()))
        if all(len(set(col)) == len(c["seeds"]) for col in columns):
            return values
    raise AssertionError(f"no tie-free draw for {label(c)}")


def draw_attempt(c, attempt):
    n = len(c["seeds"])
    rng = stream(c["path"], c["suffix"], attempt)
    z_wer = standardise(normals(rng, n))
    z_cer = standardise([0.8 * a + 0.6 * b for a, b in zip(z_wer, normals(rng, n))])
    z_dwer = standardise([0.9 * a + 0.44 * b for a, b in zip(z_wer, normals(rng, n))])
    z_dcer = standardise([0.9 * a + 0.44 * b for a, b in zip(z_cer, normals(rng, n))])
    (wm, ws), (cm, cs) = c["wer"], c["cer"]
    spec = {
        "test.wer": (wm, ws, z_wer),
        "test.cer": (cm, cs, z_cer),
        "dev.wer": (wm - 0.45, ws * 1.05, z_dwer),
        "dev.cer": (cm - 0.14, cs * 1.05, z_dcer),
    }
    return {
        seed: {k: round(m + s * z[i], 2) for k, (m, s, z) in spec.items()}
        for i, seed in enumerate(c["seeds"])
    }


# --------------------------------------------------------------------------
# YAML subset: block maps, block lists at top level, flow lists of scalars.


def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        text = repr(v)
        assert "e" not in text and "inf" not in text and "nan" not in text, text
        return text
    assert isinstance(v, str), v
    plain = (
        v
        and (v[0].isalpha() or v[0] in "/_")
        and all(ch.isalnum() or ch in "_./-=" for ch in v)
        and v.lower() not in {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}
    )
    return v if plain else json.dumps(v)


def yaml_dump(obj, indent=0):
    pad = " " * indent
    if isinstance(obj, list):
        return "".join(f"{pad}- {yaml_scalar(x)}\n" for x in obj)
    lines = []
    for k, v in obj.items():
        if isinstance(v, dict):
            lines.append(f"{pad}{k}:\n" + yaml_dump(v, indent + 2))
        elif isinstance(v, list):
            lines.append(f"{pad}{k}: [{', '.join(yaml_scalar(x) for x in v)}]\n")
        else:
            lines.append(f"{pad}{k}: {yaml_scalar(v)}\n")
    return "".join(lines)


def yaml_parse_scalar(t):
    t = t.strip()
    if t.startswith('"'):
        return json.loads(t)
    if t.startswith("["):
        inner = t[1:-1].strip()
        return [yaml_parse_scalar(x) for x in inner.split(",")] if inner else []
    if t.startswith("{"):
        inner = t[1:-1].strip()
        pairs = [p.split(": ", 1) for p in inner.split(", ")] if inner else []
        return {k.strip(): yaml_parse_scalar(v) for k, v in pairs}
    if t in ("true", "false"):
        return t == "true"
    for kind in (int, float):
        try:
            return kind(t)
        except ValueError:
            pass
    return t


def yaml_load(text):
    """Parse the subset yaml_dump writes (and the index.yaml files)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines and lines[0].startswith("- "):
        return [yaml_parse_scalar(ln[2:]) for ln in lines]
    root = {}
    stack = [(-1, root)]
    for ln in lines:
        indent = len(ln) - len(ln.lstrip(" "))
        key, _, rest = ln.strip().partition(":")
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        if rest.strip():
            parent[key] = yaml_parse_scalar(rest)
        else:
            parent[key] = {}
            stack.append((indent, parent[key]))
    return root


def check_yaml_with_pyyaml(text, expected):
    """Cross-check with PyYAML when it happens to be installed (optional)."""
    try:
        import yaml  # noqa: PLC0415
    except ImportError:
        return
    assert yaml.safe_load(text) == expected, text


# --------------------------------------------------------------------------
# Writers (each validates what it wrote by parsing it back)

WRITTEN = []


def write_text(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    WRITTEN.append(path)


def write_json(path, obj):
    text = json.dumps(obj, indent=2) + "\n"
    write_text(path, text)
    assert json.loads(path.read_text(encoding="utf-8")) == obj, path


def write_yaml(path, obj, text=None):
    text = yaml_dump(obj) if text is None else text
    write_text(path, text)
    back = path.read_text(encoding="utf-8")
    assert yaml_load(back) == obj, path
    check_yaml_with_pyyaml(back, obj)


def nested(flat):
    out = {}
    for key, value in flat.items():
        head, leaf = key.split(".")
        out.setdefault(head, {})[leaf] = value
    return out


def set_dotted(cfg, key, value):
    *heads, leaf = key.split(".")
    node = cfg
    for h in heads:
        node = node[h]
    node[leaf] = value


def format_override(key, value):
    return f"{key}={yaml_scalar(value)}"


def overrides_of(c, seed):
    """The Hydra command-line overrides of a run: its changes, then the seed."""
    return [format_override(k, v) for k, v in c["changes"].items()] + [f"seed={seed}"]


def run_dir_name(seed, suffix, stamp=None):
    return "_".join(str(p) for p in (f"seed_{seed}", suffix, stamp) if p)


def write_run(c, seed, values, host, gpu_hours, stamp=None, failed=False):
    name = run_dir_name(seed, c["suffix"], stamp)
    rel = f"{c['path']}/{name}"
    d = RUNS / rel

    cfg = json.loads(json.dumps(BASE_CONFIG))
    for k, v in c["changes"].items():
        set_dotted(cfg, k, v)
    cfg["seed"] = seed
    cfg["run_name"] = f"{c['path'].replace('/', '-')}-{name}"
    cfg["paths"]["output_dir"] = f"runs/{rel}"
    write_yaml(d / ".hydra" / "config.yaml", cfg)

    write_yaml(d / ".hydra" / "overrides.yaml", overrides_of(c, seed))

    write_json(d / "env.json", {
        "python": "3.11.9",
        "torch": "2.5.1",
        "torchaudio": "2.5.1",
        "cuda": "12.4",
        "cudnn": "9.1.0",
        "gpu": GPU,
        "gpu_count": 1,
        "driver": "550.90.07",
        "hostname": host,
        "platform": "Linux-5.15.0-119-generic-x86_64-with-glibc2.35",
        "git_commit": GIT_COMMIT,
    })
    if failed:
        write_text(d / "train.log", oom_log(c, seed))
        return
    write_json(d / "compute.json", {"gpu": GPU, "gpu_count": 1, "gpu_hours": gpu_hours})
    results = nested(values)
    results["data"] = {"test_sha256": DATA_SHA["test"], "dev_sha256": DATA_SHA["dev"]}
    write_json(d / "results.json", results)


def oom_log(c, seed):
    """A Hydra train.log that logs dev metrics (never test) and ends in an OOM."""
    start = datetime.datetime(2026, 2, 11, 8, 14, 2, 113000)
    sec_per_step = 3.4 * 3600 / MAX_STEPS

    def stamp(step, extra_s=0.0):
        t = start + datetime.timedelta(seconds=step * sec_per_step + extra_s)
        return t.strftime("%Y-%m-%d %H:%M:%S") + f",{t.microsecond // 1000:03d}"

    lines = [
        f"[{stamp(0)}][__main__][INFO] - run {c['path']} seed={seed}",
        f"[{stamp(0, 0.002)}][__main__][INFO] - torch 2.5.1, cuda 12.4, {GPU}",
        f"[{stamp(500)}][train][INFO] - step 500 | loss 6.912 | lr 0.0000078",
    ]
    for i, step in enumerate(range(50000, 150001, 50000), start=1):
        lines.append(f"[{stamp(step)}][train][INFO] - step {step} | "
                     f"loss {4.9 - 0.55 * i:.3f} | lr {0.0005 - 0.00003 * i:.5f}")
        lines.append(f"[{stamp(step, 16.143)}][valid][INFO] - step {step} | "
                     f"dev/wer {31.5 - 3.1 * i:.2f} | dev/cer {10.2 - 1.0 * i:.2f}")
    lines += [
        f"[{stamp(162500)}][train][INFO] - step 162500 | loss 3.171 | lr 0.00041",
        f"Error executing job with overrides: {overrides_of(c, seed)}",
        "Traceback (most recent call last):",
        '  File "/home/ssl/speech-ssl/train.py", line 212, in main',
        "    loss, logs = model(batch)",
        '  File "/opt/conda/lib/python3.11/site-packages/torch/nn/modules/module.py", '
        "line 1736, in _wrapped_call_impl",
        "    return self._call_impl(*args, **kwargs)",
        '  File "/opt/conda/lib/python3.11/site-packages/torch/nn/modules/module.py", '
        "line 1747, in _call_impl",
        "    return forward_call(*args, **kwargs)",
        '  File "/home/ssl/speech-ssl/model/hubert.py", line 388, in forward',
        "    x = self.encoder(features, padding_mask=padding_mask)",
        '  File "/home/ssl/speech-ssl/model/transformer.py", line 141, in forward',
        "    attn = torch.softmax(scores, dim=-1)",
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.44 GiB. "
        "GPU 0 has a total capacity of 39.39 GiB of which 1.71 GiB is free. "
        "Including non-PyTorch memory, this process has 37.67 GiB memory in use. "
        "Of the allocated memory 35.02 GiB is allocated by PyTorch, and 1.93 GiB is "
        "reserved by PyTorch but unallocated. If reserved but unallocated memory is "
        "large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid "
        "fragmentation.  See documentation for Memory Management  "
        "(https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)",
        "",
        "Set the environment variable HYDRA_FULL_ERROR=1 for a complete stack trace.",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Sanity checks on the generated numbers (stdlib only)


def welch_t(a, b):
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    return (statistics.fmean(b) - statistics.fmean(a)) / math.sqrt(va + vb)


def label(c):
    return c["path"] + (f"@{c['suffix']}" if c["suffix"] else "")


def report(values_by_label):
    print("condition | n | test.wer mean ± std | test.cer mean ± std  (realised, ddof=1)")
    for lab, vals in values_by_label.items():
        cells = []
        for m in ("test.wer", "test.cer"):
            xs = [v[m] for v in vals.values()]
            cells.append(f"{statistics.fmean(xs):.3f} ± {statistics.stdev(xs):.3f}")
        print(f"{lab} | {len(vals)} | {cells[0]} | {cells[1]}")


def assert_design(values_by_label):
    """The study's intended shape: the checks this example exists to show."""
    def xs(lab, m="test.wer"):
        return [v[m] for v in values_by_label[lab].values()]

    for lab, vals in values_by_label.items():
        for m in ("test.wer", "test.cer"):
            col = [v[m] for v in vals.values()]
            assert len(set(col)) == len(col), f"tied values in {lab} {m}"
    for m in ("test.wer", "test.cer"):
        base, full = xs("exp0_baseline_hubert", m), xs("exp1_new_masking", m)
        assert welch_t(base, full) < -4.5, "exp1 must clearly improve"
        t2 = welch_t(base, xs("exp2_bigger_codebook", m))
        assert abs(t2) < 1.0, "exp2 must be within noise"
        assert abs(welch_t(full, xs("ablations/no_auxiliary_loss", m))) > 4.5
        assert abs(welch_t(full, xs("ablations/no_span_masking", m))) > 4.5
        assert abs(welch_t(full, xs("ablations/smaller_codebook", m))) < 1.0


def check_study_file():
    """xreport.toml parses and names only conditions that exist under runs/."""
    try:
        import tomllib  # noqa: PLC0415  (Python >= 3.11)
    except ImportError:
        return
    study = tomllib.loads((HERE / "xreport.toml").read_text(encoding="utf-8"))
    named = [study["baseline"], *study["treatments"], study["ablation"]["full"],
             *study["ablation"]["rows"]]
    for condition in named:
        assert (RUNS / condition).is_dir(), f"xreport.toml names missing {condition}"


def main():
    if RUNS.exists():
        shutil.rmtree(RUNS)
    values_by_label = {}
    for c in CONDITIONS:
        values = draw_values(c)
        values_by_label[label(c)] = values
        rng = stream("meta", label(c))
        for seed in c["seeds"]:
            host = HOSTS[rng.randrange(len(HOSTS))]
            hours = round(3.4 + rng.uniform(-0.08, 0.08), 2)
            write_run(c, seed, values[seed], host, hours)
        if c["path"] in INDEX_YAML and c["suffix"]:
            text, obj = INDEX_YAML[c["path"]]
            write_yaml(RUNS / c["path"] / "index.yaml", obj, text)

    path, suffix, seed = REPEAT["of"]
    c = next(c for c in CONDITIONS if c["path"] == path and c["suffix"] == suffix)
    first = values_by_label[label(c)][seed]
    again = {k: round(v + REPEAT["delta"][k], 2) for k, v in first.items()}
    write_run(c, seed, again, "gpu-a100-04", 3.44, stamp=REPEAT["stamp"])

    path, seed = FAILED
    c = next(c for c in CONDITIONS if c["path"] == path and c["suffix"] is None)
    write_run(c, seed, None, "gpu-a100-07", None, failed=True)

    assert_design(values_by_label)
    check_study_file()
    report(values_by_label)
    total = sum(p.stat().st_size for p in WRITTEN)
    print(f"wrote {len(WRITTEN)} files, {total} bytes under {RUNS}", file=sys.stderr)


if __name__ == "__main__":
    main()
