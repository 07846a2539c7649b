#!/usr/bin/env python3
"""loghub_score.py: Grouping Accuracy (GA) and Parsing Accuracy (PA) of a template miner's output against a
Loghub structured CSV, computed as the Loghub-2.0 benchmark computes them.

    bench/loghub_score.py TRUTH.csv PRED.tsv [--format text|tsv|json] [--explain N]

TRUTH.csv is a Loghub `*_structured*.csv` (read with the csv module: quoted fields, commas and quotes inside
templates); only its LineId and EventTemplate columns are used. PRED.tsv is what `casebook mine FILE --lines
OUT.tsv` writes: one row per input line, `line number<TAB>template`, line numbers 1-based. The template is
everything after the first tab, without the row's line end; it is compared byte for byte, no whitespace is
normalised (see below). Every LineId of the truth must have exactly one prediction and every prediction a
LineId: a missing, extra, duplicated or malformed row is an error (exit 1) naming the rows, never a silent
partial score.

The definitions follow logpai/loghub-2.0, benchmark/logparser/utils/evaluator.py (GA, FGA) and
benchmark/evaluation/utils/PA_calculator.py (PA), which benchmark/evaluation/utils/evaluator_main.py calls for
every parser of its tables:

* GA: lines are grouped by their true EventTemplate and by their predicted template. A true group counts, with
  all its lines, when its lines all carry one predicted template and that template is carried by exactly as
  many lines in the whole file (so the two groups are the same set of lines). GA = lines counted / lines.
  Lines whose true EventTemplate is empty (a null in pandas) are left out of GA altogether, as there.
* PA: a line is correct when its predicted template equals its true EventTemplate exactly (pandas `eq` on the
  two string columns). PA = correct lines / all lines; a line with an empty true template is never correct.
* FGA (reported alongside): PGA = correct true groups / predicted groups, RGA = correct true groups / true
  groups, FGA = their harmonic mean (0 when both are 0).

No normalisation of templates: the Loghub-2.0 evaluator compares the strings exactly as pandas reads them (it
reads both files with dtype=str and does not strip or collapse whitespace), and its parsers (Drain, ...) emit
templates joined with single spaces. None of the ground-truth templates of the 2k sets has a leading, trailing
or doubled space or a tab, so a miner that joins tokens with single spaces loses nothing by this. One pandas
quirk is not reproduced: pandas reads a field that is exactly `NA`, `null`, `None`, `NaN`, ... as a null; no
template in the 2k sets is such a word, and here such a template is just that string.

Exit status: 0 scored, 1 bad input (the message says which file, row and why), 2 usage.
"""

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict


class ScoreError(Exception):
    """Bad input: the message names the file and the rows."""


def _sample(items, limit=5):
    items = sorted(items)
    text = ", ".join(str(i) for i in items[:limit])
    if len(items) > limit:
        text += ", ... ({} in all)".format(len(items))
    return text


def read_truth(path):
    """{LineId: EventTemplate} from a Loghub structured CSV."""
    truth = {}
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            fields = reader.fieldnames or []
            for col in ("LineId", "EventTemplate"):
                if col not in fields:
                    raise ScoreError("{}: no '{}' column in the header (columns: {})".format(
                        path, col, ", ".join(fields) if fields else "none, the file is empty"))
            for row in reader:
                where = "{}:{}".format(path, reader.line_num)
                raw = row["LineId"]
                template = row["EventTemplate"]
                if raw is None or template is None:
                    raise ScoreError("{}: the row has fewer fields than the header".format(where))
                try:
                    line_id = int(raw.strip())
                except ValueError:
                    raise ScoreError("{}: LineId '{}' is not an integer".format(where, raw)) from None
                if line_id < 1:
                    raise ScoreError("{}: LineId {} is not a line number (they start at 1)".format(where, line_id))
                if line_id in truth:
                    raise ScoreError("{}: LineId {} appears twice".format(where, line_id))
                truth[line_id] = template
    except OSError as e:
        raise ScoreError("{}: {}".format(path, e.strerror or e)) from None
    except UnicodeDecodeError as e:
        raise ScoreError("{}: not UTF-8 ({})".format(path, e)) from None
    except csv.Error as e:
        raise ScoreError("{}: bad CSV: {}".format(path, e)) from None
    if not truth:
        raise ScoreError("{}: no rows".format(path))
    return truth


def read_predictions(path):
    """{line number: template} from `line number<TAB>template` rows."""
    pred = {}
    try:
        with open(path, "rb") as f:
            for row_no, raw in enumerate(f, 1):
                where = "{}:{}".format(path, row_no)
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise ScoreError("{}: not UTF-8 ({})".format(where, e)) from None
                if text.endswith("\n"):
                    text = text[:-1]
                number, tab, template = text.partition("\t")
                if not tab:
                    raise ScoreError("{}: no tab: a row is 'line number<TAB>template'".format(where))
                if not number.isdigit():
                    raise ScoreError("{}: '{}' is not a line number".format(where, number))
                line_no = int(number)
                if line_no < 1:
                    raise ScoreError("{}: line number 0: they start at 1".format(where))
                if line_no in pred:
                    raise ScoreError("{}: line {} has a second prediction".format(where, line_no))
                pred[line_no] = template
    except OSError as e:
        raise ScoreError("{}: {}".format(path, e.strerror or e)) from None
    if not pred:
        raise ScoreError("{}: no rows".format(path))
    return pred


def check_alignment(truth, pred, truth_path, pred_path):
    missing = truth.keys() - pred.keys()
    extra = pred.keys() - truth.keys()
    msgs = []
    if missing:
        msgs.append("{}: no prediction for {} line(s) of {}: {}".format(
            pred_path, len(missing), truth_path, _sample(missing)))
    if extra:
        msgs.append("{}: {} prediction(s) for lines {} does not have: {}".format(
            pred_path, len(extra), truth_path, _sample(extra)))
    if msgs:
        raise ScoreError("\n".join(msgs))


def score(truth, pred):
    """GA, PA and the rest for two {line: template} maps with the same keys.

    Returns a dict: lines, ga, pa, fga, true_templates, found_templates, and for --explain the per-true-group
    detail `groups`: [(true template, lines, correctly grouped?, {predicted template: lines})].
    """
    if truth.keys() != pred.keys():
        raise ScoreError("truth and predictions do not cover the same lines")
    lines = len(truth)
    # GA and FGA: lines with an empty true template are left out, predictions included (evaluator.py keeps
    # only the non-null rows of both series before grouping).
    kept = [i for i in truth if truth[i] != ""]
    pred_count = Counter(pred[i] for i in kept)
    by_truth = defaultdict(Counter)
    for i in kept:
        by_truth[truth[i]][pred[i]] += 1
    ga_lines = 0
    ga_groups = 0
    groups = []
    for template, preds in by_truth.items():
        size = sum(preds.values())
        ok = len(preds) == 1 and pred_count[next(iter(preds))] == size
        if ok:
            ga_lines += size
            ga_groups += 1
        groups.append((template, size, ok, dict(preds)))
    ga = ga_lines / len(kept) if kept else 0.0
    pga = ga_groups / len(pred_count) if pred_count else 0.0
    rga = ga_groups / len(by_truth) if by_truth else 0.0
    fga = 2 * pga * rga / (pga + rga) if pga + rga > 0 else 0.0
    pa_lines = sum(1 for i in truth if truth[i] != "" and pred[i] == truth[i])
    return {
        "lines": lines,
        "ga": ga,
        "pa": pa_lines / lines,
        "fga": fga,
        "true_templates": len(set(t for t in truth.values() if t != "")),
        "found_templates": len(set(pred.values())),
        "groups": groups,
    }


def score_files(truth_path, pred_path):
    truth = read_truth(truth_path)
    pred = read_predictions(pred_path)
    check_alignment(truth, pred, truth_path, pred_path)
    return score(truth, pred)


def explain(result, n, out):
    """The n true templates that lose the most lines, for GA and for PA, with what was predicted for them."""
    lost_ga = sorted((g for g in result["groups"] if not g[2]), key=lambda g: (-g[1], g[0]))
    out.write("wrongly grouped ({} true templates):\n".format(len(lost_ga)))
    for template, size, _, preds in lost_ga[:n]:
        out.write("  {:5d}  {}\n".format(size, template))
        for p, c in sorted(preds.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
            out.write("         {:5d} -> {}\n".format(c, p))
    lost_pa = []
    for template, size, _, preds in result["groups"]:
        wrong = size - preds.get(template, 0)
        if wrong:
            lost_pa.append((wrong, template, preds))
    lost_pa.sort(key=lambda x: (-x[0], x[1]))
    out.write("wrong template text ({} true templates):\n".format(len(lost_pa)))
    for wrong, template, preds in lost_pa[:n]:
        out.write("  {:5d}  {}\n".format(wrong, template))
        for p, c in sorted(preds.items(), key=lambda kv: (-kv[1], kv[0]))[:3]:
            if p != template:
                out.write("         {:5d} -> {}\n".format(c, p))


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Loghub GA/PA of a `casebook mine --lines` TSV against a structured CSV.")
    ap.add_argument("truth", help="Loghub *_structured*.csv (LineId, EventTemplate, ...)")
    ap.add_argument("pred", help="predictions: one 'line number<TAB>template' row per line")
    ap.add_argument("--format", choices=("text", "tsv", "json"), default="text",
                    help="text (default); tsv: one row 'GA PA FGA found true lines', tab-separated; json")
    ap.add_argument("--explain", type=int, default=0, metavar="N",
                    help="also list the N true templates that lose the most lines (to stderr with tsv/json)")
    args = ap.parse_args(argv)
    if args.explain < 0:
        ap.error("--explain must be 0 or more")
    try:
        r = score_files(args.truth, args.pred)
    except ScoreError as e:
        sys.stderr.write("loghub_score: {}\n".format(e))
        return 1
    if args.format == "json":
        out = {k: v for k, v in r.items() if k != "groups"}
        sys.stdout.write(json.dumps(out, sort_keys=True) + "\n")
    elif args.format == "tsv":
        sys.stdout.write("{:.4f}\t{:.4f}\t{:.4f}\t{}\t{}\t{}\n".format(
            r["ga"], r["pa"], r["fga"], r["found_templates"], r["true_templates"], r["lines"]))
    else:
        sys.stdout.write("GA {:.4f}  PA {:.4f}  FGA {:.4f}  templates found {} / true {}  lines {}\n".format(
            r["ga"], r["pa"], r["fga"], r["found_templates"], r["true_templates"], r["lines"]))
    if args.explain:
        explain(r, args.explain, sys.stdout if args.format == "text" else sys.stderr)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
