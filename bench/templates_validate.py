"""Benchmark of POST /v1/templates/:id/validate's work, in-process, and of the
category classifier's quality on the labelled set.

    .venv/bin/python bench/templates_validate.py              # 5,000 runs
    .venv/bin/python bench/templates_validate.py --runs 20000

Latency: a 1,024-character body (the WhatsApp maximum) that mixes a shipping
update with an upsell, so every signal family is exercised. Measured twice:
the classifier alone (``classifier.classify``) and the whole validate service
(``services.template_validate``: classifier + rate card + market from the
channel's number) on unsaved model objects, so no database time is included
(the endpoint adds one indexed SELECT and the HTTP stack). Goal: p99 < 50 ms, the
issue's budget for a classifier fed by a neural model's embeddings (its sentence
vectors are a table distilled from all-MiniLM-L6-v2; no network runs at request
time), and the figure is also held against the 5 ms budget for one without.

Quality: precision, recall and F1 of "would be marketing" on the labelled corpus
(templates_app/data/corpus), on its train split, on its held-out split and on the
held-out part of each writing batch (``manage.py evaluate_classifier`` prints the
same figures).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "instantreply.settings")
os.environ.setdefault("INSTANTREPLY_TESTING", "true")

SEED = (
    "Hi {{1}}, your order {{2}} has shipped and will arrive on {{3}} between 9 am and 1 pm. "
    "You can follow the parcel from the tracking page at any time, and reply to this message "
    "if the delivery address needs a change. While you wait, shop our new arrivals: use code "
    "AUTUMN25 for 25% off your next order, valid this weekend only. Don't miss out! "
)
FILLER = (
    "Your driver will call ahead if the parcel needs a signature, and a photo of the "
    "delivery will be added to your account once it has been handed over. "
)


def body_of_length(length: int = 1024) -> str:
    text = SEED
    while len(text) < length - 10:
        text += FILLER
    text = text[: length - 10].rstrip()
    return (text + " Thank you.")[:length].ljust(length, ".")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_it(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (thread) milliseconds per call. On a busy shared machine
    the wall-clock tail includes time the process was not scheduled; the CPU
    figures are the work itself."""
    for _ in range(min(200, runs)):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        fn()
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5000)
    args = parser.parse_args()

    import django

    django.setup()
    from conversations.models import Channel
    from templates_app import services
    from templates_app.classifier import classify
    from templates_app.models import Template
    from templates_app.rules import check_components

    body = body_of_length(1024)
    components, variable_count, problems = check_components([{"type": "body", "text": body}])
    assert len(body) == 1024 and not problems, problems
    channel = Channel(id="chan_bench", platform="whatsapp", display_handle="+49 30 000000")
    template = Template(
        id="tpl_bench",
        channel=channel,
        name="bench",
        language="en_US",
        category="utility",
        components=components,
        variable_count=variable_count,
    )
    report = services.template_validate(template=template, market=None)

    print(f"body: {len(body)} characters, {variable_count} variables")
    print(
        f"report: predicted {report['predicted_category']} (confidence {report['confidence']}), "
        f"{len(report['flagged_phrases'])} flagged phrases, market {report['cost']['market']}, "
        f"gap {report['cost']['gap_per_1000']:.2f} {report['cost']['currency']} per 1,000"
    )
    for label, fn in (
        (
            "classifier.classify",
            lambda: classify(components=components, requested_category="utility"),
        ),
        (
            "services.template_validate",
            lambda: services.template_validate(template=template, market=None),
        ),
    ):
        wall, cpu = time_it(fn, args.runs)
        for kind, samples in (("wall", wall), ("cpu", cpu)):
            print(
                f"{label:28s} {kind:4s} runs={args.runs}  p50={percentile(samples, 50):.3f} ms  "
                f"p99={percentile(samples, 99):.3f} ms  max={max(samples):.3f} ms  "
                f"mean={statistics.fmean(samples):.3f} ms"
            )
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    from templates_app.classifier import corpus, training

    heldout = corpus.load("heldout")
    subsets = [("train", corpus.load("train")), ("heldout", heldout)]
    subsets += [
        (f"heldout writer {w}", [r for r in heldout if r["id"].startswith(f"{w}-")])
        for w in sorted({r["id"].split("-")[0] for r in heldout})
    ]
    for name, rows in subsets:
        q = training.evaluate(rows)
        print(
            f"would-be-marketing on {name:20s} n={q['size']:4d}  precision={q['precision']:.3f}  "
            f"recall={q['recall']:.3f}  f1={q['f1']:.3f}  "
            f"(tp={q['tp']} fp={q['fp']} fn={q['fn']} tn={q['tn']})"
        )


if __name__ == "__main__":
    main()
