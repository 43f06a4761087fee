"""What a pickle may import: the allowlist, the denylist and the rules (a data module).

The **allowlist** decides: anything a pickle imports that is not on it is a finding. Entries are
exact ``module.name`` strings, each with the reason it exists (which library writes it). A few
class-name patterns cover families of plain classes (``torch.nn.modules.*.Linear``); they accept
only CamelCase names without dunders, and no pattern covers a module with dangerous members.

The **denylist** only rates severity and explains the danger: a match is critical and names the
public advisory that showed the technique. Module names are normalised first (``posix``/``nt`` ->
``os``, ``__builtin__`` -> ``builtins``, ``_io`` -> ``io``, ...) and dotted names are judged
component by component, so ``builtins`` + ``getattr`` and ``os.path`` + ``os.system``-style
splits both resolve to the attribute path a loader would walk.

The runtime pickle guard, if built, imports these tables from here: there is exactly one copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = [
    "ALLOWED",
    "ALLOWED_DUNDERS",
    "CALLEE_ARGS",
    "CANNOT_PARSE",
    "CLASS_PATTERNS",
    "CONDITIONAL",
    "DANGEROUS_CALLABLE",
    "DANGEROUS_NAME_WORDS",
    "DENYLIST",
    "DUNDER",
    "JOBLIB_WRAPPERS",
    "KNOWN_PACKAGES",
    "MODULE_ALIASES",
    "NESTED_PICKLE",
    "NON_ALLOWLISTED_IMPORT",
    "PATTERN_EXCLUDED",
    "PICKLE_RULES",
    "PYX_UNPICKLE",
    "REENTRY_ALWAYS",
    "REENTRY_TRUSTED",
    "SIBLING_NPY",
    "SIDE_FILE_LOADERS",
    "SUSPICIOUS_STRUCTURE",
    "UNSAFE_TO_CALL",
    "Judgement",
    "Verdict",
]

_RISKS: Final = ("MODEL-07", "MODEL-04", "SERVE-03")
_CONVERT: Final = (
    "Do not load this file with pickle, joblib.load or torch.load(weights_only=False). Ask the publisher "
    "for a safetensors (weights) or ONNX/skops (estimators) export, or load it with "
    "torch.load(weights_only=True) in an isolated sandbox without network or secrets."
)

DANGEROUS_CALLABLE = Rule(
    id="MW-PICKLE-001",
    title="Pickle imports a callable that can run code, touch files or reach the network",
    severity=Severity.CRITICAL,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "Unpickling imports every global the stream names and calls it with attacker-chosen arguments. "
        "The named callable executes commands, evaluates code, opens files or sockets, installs packages "
        "or reaches such a callable indirectly (getattr, attrgetter, partial, import helpers). Loading "
        "this file runs that code with the loader's privileges."
    ),
    remediation=_CONVERT,
    cwe="CWE-502",
)

NON_ALLOWLISTED_IMPORT = Rule(
    id="MW-PICKLE-002",
    title="Pickle imports a global that is not on the ML serialization allowlist",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "Real model files written by torch, numpy, scikit-learn, joblib and pandas import a small, known "
        "set of rebuild helpers and classes. This file imports something else. It may be a custom class "
        "of the model's own package (then loading also imports and runs that package) or a gadget that "
        "no denylist knows yet. It is rated high when the module is unknown and the global is called."
    ),
    remediation=(
        "Check the named module: if it is your own trusted package, suppress this finding for the file "
        "in mlwarden.yaml with a reason. Otherwise treat the file as untrusted: " + _CONVERT
    ),
    cwe="CWE-502",
)

SUSPICIOUS_STRUCTURE = Rule(
    id="MW-PICKLE-003",
    title="Pickle has a structure no standard pickler writes",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "The opcode stream uses constructs that pickle.dump, torch.save and joblib.dump never produce: "
        "extension codes missing from the registry, STACK_GLOBAL operands that are not plain strings, memo "
        "reads of entries never written, stack underflow, BUILD on an imported function, or data after the "
        "final STOP. Such tricks are used to confuse scanners (a loader executes everything up to the point "
        "where it fails)."
    ),
    remediation="Treat the file as crafted and untrusted. " + _CONVERT,
    cwe="CWE-502",
)

CANNOT_PARSE = Rule(
    id="MW-PICKLE-004",
    title="Pickle cannot be parsed completely",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "The stream is truncated, declares more bytes than the file holds, or contains an invalid opcode. "
        "A loader executes every opcode before the broken one (the 'nullifAI' technique places a payload "
        "before a deliberate break), so the part before the offset was still analysed and anything after "
        "it could not be."
    ),
    remediation=(
        "Re-download the file and compare its hash with the publisher's. If it is still broken, do not load "
        "it: " + _CONVERT
    ),
    cwe="CWE-502",
)

NESTED_PICKLE = Rule(
    id="MW-PICKLE-005",
    title="Pickle carries another pickle inside a string or bytes value",
    severity=Severity.MEDIUM,
    risk_ids=_RISKS,
    stage=Stage.MODEL,
    help=(
        "A string or bytes value in the stream is itself a pickle that imports globals. Code that later "
        "calls pickle.loads or torch.load on that value runs it; the embedded pickle was scanned and its "
        "own findings are reported at their offsets."
    ),
    remediation="Review why a model carries a serialized object inside a value. " + _CONVERT,
    cwe="CWE-502",
)

PICKLE_RULES: tuple[Rule, ...] = (
    DANGEROUS_CALLABLE,
    NON_ALLOWLISTED_IMPORT,
    SUSPICIOUS_STRUCTURE,
    CANNOT_PARSE,
    NESTED_PICKLE,
)


class Verdict(StrEnum):
    """How an imported global is judged."""

    SAFE = "safe"
    DANGEROUS = "dangerous"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict on one import, with the normalised key and a reason a user can read."""

    verdict: Verdict
    key: str
    reason: str
    known_package: bool = False
    tier: str = "foreign"  # "known" (ML package), "stdlib" or "foreign" (user code, __main__, unknown)
    heuristic: bool = False  # DANGEROUS by a name pattern rather than a denylist entry
    suspicious: bool = False  # UNKNOWN but odd (non-ASCII, look-alike letters): rated high


# --- the allowlist: decides what passes ------------------------------------------------------
# Exact module.name entries grouped by the library that writes them, with the reason beside each group.
# Class patterns accept CamelCase class names in packages whose classes only store state.

_TORCH_DTYPES: Final = [
    "float32",
    "float64",
    "float16",
    "bfloat16",
    "float8_e4m3fn",
    "float8_e5m2",
    "float8_e4m3fnuz",
    "float8_e5m2fnuz",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "bool",
    "complex32",
    "complex64",
    "complex128",
    "qint8",
    "quint8",
    "qint32",
    "quint4x2",
    "quint2x4",
    "half",
    "float",
    "double",
    "long",
    "int",
    "short",
    "cfloat",
    "cdouble",
    "chalf",
    "strided",
    "sparse_coo",
    "sparse_csr",
    "sparse_csc",
    "sparse_bsr",
    "sparse_bsc",
    "_mkldnn",
    "contiguous_format",
    "channels_last",
    "channels_last_3d",
    "preserve_format",
    "per_tensor_affine",
    "per_channel_affine",
    "per_tensor_symmetric",
    "per_channel_symmetric",
    "per_channel_affine_float_qparams",
]

_TORCH_STORAGES: Final = [
    "Float",
    "Double",
    "Half",
    "BFloat16",
    "Long",
    "Int",
    "Short",
    "Char",
    "Byte",
    "Bool",
    "ComplexFloat",
    "ComplexDouble",
    "QUInt8",
    "QInt8",
    "QInt32",
    "QUInt4x2",
    "QUInt2x4",
    "Untyped",
    "Typed",
]

_NUMPY_SCALAR_TYPES: Final = (  # noqa: SIM905 - a word list reads better as data
    "bool bool_ byte bytes_ cdouble character clongdouble complex128 complex256 complex64 complexfloating "
    "csingle datetime64 double flexible float128 float16 float32 float64 floating generic half inexact "
    "int16 int32 int64 int8 int_ intc integer intp long longdouble longlong number object_ short "
    "signedinteger single str_ timedelta64 ubyte uint uint16 uint32 uint64 uint8 uintc uintp ulong "
    "ulonglong unsignedinteger ushort void float_ complex_ string_ unicode_ bool8 object0 str0 bytes0 "
    "void0 int0 uint0"
).split()

_NUMPY_UFUNCS: Final = (  # noqa: SIM905 - a word list reads better as data
    "abs absolute acos acosh add arccos arccosh arcsin arcsinh arctan arctan2 arctanh asin asinh atan "
    "atan2 atanh bitwise_and bitwise_count bitwise_invert bitwise_left_shift bitwise_not bitwise_or "
    "bitwise_right_shift bitwise_xor cbrt ceil conj conjugate copysign cos cosh deg2rad degrees divide "
    "divmod equal exp exp2 expm1 fabs float_power floor floor_divide fmax fmin fmod frexp gcd greater "
    "greater_equal heaviside hypot invert isfinite isinf isnan isnat lcm ldexp left_shift less less_equal "
    "log log10 log1p log2 logaddexp logaddexp2 logical_and logical_not logical_or logical_xor matmul "
    "matvec maximum minimum mod modf multiply negative nextafter not_equal positive pow power rad2deg "
    "radians reciprocal remainder right_shift rint sign signbit sin sinh spacing sqrt square subtract tan "
    "tanh true_divide trunc vecdot vecmat"
).split()

_PYARROW_LIB: Final = (  # noqa: SIM905 - a word list reads better as data
    "_restore_array _reconstruct_record_batch _reconstruct_table _reconstruct_chunked_array type_for_alias "
    "py_buffer scalar schema field array chunked_array table record_batch dictionary list_ large_list "
    "fixed_size_list list_view large_list_view map_ struct union dense_union sparse_union run_end_encoded "
    "timestamp time32 time64 date32 date64 duration month_day_nano_interval decimal32 decimal64 decimal128 "
    "decimal256 binary large_binary binary_view string large_string string_view utf8 large_utf8 "
    "fixed_size_binary null bool_ int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 "
    "KeyValueMetadata"
).split()

_TORCH_ACTIVATIONS: Final = (  # noqa: SIM905 - a word list reads better as data
    "relu relu6 gelu silu mish elu selu celu leaky_relu rrelu prelu glu hardswish hardsigmoid hardtanh "
    "softplus softsign sigmoid tanh logsigmoid tanhshrink softshrink hardshrink softmax softmin log_softmax"
).split()

# transformers nn.Module classes that torch.save(model) names in a whole-model pickle (NEWOBJ + BUILD into
# Module.__setstate__; none of them overrides a pickle hook), by architecture: transformers.models.<arch>.
# modeling_<arch>.<class>. Listed from transformers 5.23 (every nn.Module subclass each module defines) and
# 4.57 (its Sdpa/Flash attention variants and the classes 5.x moved). Calling one is not allowed (UNSAFE_TO_CALL):
# PreTrainedModel.__init__(config) may fetch an attention kernel from the Hub (config._attn_implementation).
_TRANSFORMERS_MODELING: Final[dict[str, str]] = {
    "albert": (
        "AlbertAttention AlbertEmbeddings AlbertForMaskedLM AlbertForMultipleChoice AlbertForPreTraining "
        "AlbertForQuestionAnswering AlbertForSequenceClassification AlbertForTokenClassification AlbertLayer "
        "AlbertLayerGroup AlbertMLMHead AlbertModel AlbertPreTrainedModel AlbertSOPHead AlbertSdpaAttention "
        "AlbertTransformer"
    ),
    "bart": (
        "BartAttention BartClassificationHead BartDecoder BartDecoderLayer BartDecoderWrapper BartEncoder "
        "BartEncoderLayer BartForCausalLM BartForConditionalGeneration BartForQuestionAnswering "
        "BartForSequenceClassification BartLearnedPositionalEmbedding BartModel BartPreTrainedModel "
        "BartPretrainedModel BartScaledWordEmbedding PretrainedBartModel"
    ),
    "beit": (
        "BeitAttention BeitBackbone BeitConvLayer BeitConvModule BeitDropPath BeitEmbeddings BeitEncoder "
        "BeitFCNHead BeitFPNNeck BeitFPNUpBlock BeitForImageClassification BeitForMaskedImageModeling "
        "BeitForSemanticSegmentation BeitIntermediate BeitLayer BeitMLP BeitModel BeitOutput BeitPatchEmbeddings "
        "BeitPooler BeitPreTrainedModel BeitPyramidPoolingBlock BeitPyramidPoolingModule BeitRelativePositionBias "
        "BeitSdpaSelfAttention BeitSelfAttention BeitSelfOutput BeitUperHead"
    ),
    "bert": (
        "BertAttention BertCrossAttention BertEmbeddings BertEncoder BertForMaskedLM BertForMultipleChoice "
        "BertForNextSentencePrediction BertForPreTraining BertForQuestionAnswering BertForSequenceClassification "
        "BertForTokenClassification BertIntermediate BertLMHeadModel BertLMPredictionHead BertLayer BertModel "
        "BertOnlyMLMHead BertOnlyNSPHead BertOutput BertPooler BertPreTrainedModel BertPreTrainingHeads "
        "BertPredictionHeadTransform BertSdpaSelfAttention BertSelfAttention BertSelfOutput"
    ),
    "bloom": (
        "BloomAttention BloomBlock BloomForCausalLM BloomForQuestionAnswering BloomForSequenceClassification "
        "BloomForTokenClassification BloomGelu BloomMLP BloomModel BloomPreTrainedModel"
    ),
    "camembert": (
        "CamembertAttention CamembertClassificationHead CamembertCrossAttention CamembertEmbeddings "
        "CamembertEncoder CamembertForCausalLM CamembertForMaskedLM CamembertForMultipleChoice "
        "CamembertForQuestionAnswering CamembertForSequenceClassification CamembertForTokenClassification "
        "CamembertIntermediate CamembertLMHead CamembertLayer CamembertModel CamembertOutput CamembertPooler "
        "CamembertPreTrainedModel CamembertSdpaSelfAttention CamembertSelfAttention CamembertSelfOutput"
    ),
    "clip": (
        "CLIPAttention CLIPEncoder CLIPEncoderLayer CLIPForImageClassification CLIPMLP CLIPModel "
        "CLIPPreTrainedModel CLIPTextEmbeddings CLIPTextModel CLIPTextModelWithProjection CLIPTextTransformer "
        "CLIPVisionEmbeddings CLIPVisionModel CLIPVisionModelWithProjection CLIPVisionTransformer"
    ),
    "convnext": (
        "ConvNextBackbone ConvNextDropPath ConvNextEmbeddings ConvNextEncoder ConvNextForImageClassification "
        "ConvNextLayer ConvNextLayerNorm ConvNextModel ConvNextPreTrainedModel ConvNextStage"
    ),
    "deberta": (
        "ContextPooler DebertaAttention DebertaEmbeddings DebertaEncoder DebertaForMaskedLM "
        "DebertaForQuestionAnswering DebertaForSequenceClassification DebertaForTokenClassification "
        "DebertaIntermediate DebertaLMPredictionHead DebertaLayer DebertaLayerNorm DebertaModel "
        "DebertaOnlyMLMHead DebertaOutput DebertaPreTrainedModel DebertaSelfOutput DisentangledSelfAttention "
        "LegacyDebertaLMPredictionHead LegacyDebertaOnlyMLMHead LegacyDebertaPredictionHeadTransform"
    ),
    "deberta_v2": (
        "ContextPooler ConvLayer DebertaV2Attention DebertaV2Embeddings DebertaV2Encoder DebertaV2ForMaskedLM "
        "DebertaV2ForMultipleChoice DebertaV2ForQuestionAnswering DebertaV2ForSequenceClassification "
        "DebertaV2ForTokenClassification DebertaV2Intermediate DebertaV2LMPredictionHead DebertaV2Layer "
        "DebertaV2Model DebertaV2OnlyMLMHead DebertaV2Output DebertaV2PreTrainedModel DebertaV2SelfOutput "
        "DisentangledSelfAttention LegacyDebertaV2LMPredictionHead LegacyDebertaV2OnlyMLMHead "
        "LegacyDebertaV2PredictionHeadTransform"
    ),
    "deit": (
        "DeiTAttention DeiTEmbeddings DeiTEncoder DeiTForImageClassification "
        "DeiTForImageClassificationWithTeacher DeiTForMaskedImageModeling DeiTIntermediate DeiTLayer DeiTMLP "
        "DeiTModel DeiTOutput DeiTPatchEmbeddings DeiTPooler DeiTPreTrainedModel DeiTSelfAttention DeiTSelfOutput"
    ),
    "distilbert": (
        "DistilBertFlashAttention2 DistilBertForMaskedLM DistilBertForMultipleChoice "
        "DistilBertForQuestionAnswering DistilBertForSequenceClassification DistilBertForTokenClassification "
        "DistilBertModel DistilBertPreTrainedModel DistilBertSdpaAttention DistilBertSelfAttention Embeddings FFN "
        "MultiHeadSelfAttention Transformer TransformerBlock"
    ),
    "electra": (
        "ElectraAttention ElectraClassificationHead ElectraCrossAttention ElectraDiscriminatorPredictions "
        "ElectraEmbeddings ElectraEncoder ElectraForCausalLM ElectraForMaskedLM ElectraForMultipleChoice "
        "ElectraForPreTraining ElectraForQuestionAnswering ElectraForSequenceClassification "
        "ElectraForTokenClassification ElectraGeneratorPredictions ElectraIntermediate ElectraLayer ElectraModel "
        "ElectraOutput ElectraPreTrainedModel ElectraSelfAttention ElectraSelfOutput ElectraSequenceSummary"
    ),
    "falcon": (
        "FalconAttention FalconDecoderLayer FalconFlashAttention2 FalconForCausalLM FalconForQuestionAnswering "
        "FalconForSequenceClassification FalconForTokenClassification FalconLinear FalconMLP FalconModel "
        "FalconPreTrainedModel FalconRotaryEmbedding"
    ),
    "gemma": (
        "GemmaAttention GemmaDecoderLayer GemmaForCausalLM GemmaForSequenceClassification "
        "GemmaForTokenClassification GemmaMLP GemmaModel GemmaPreTrainedModel GemmaRMSNorm GemmaRotaryEmbedding "
        "GemmaTextScaledWordEmbedding"
    ),
    "gemma2": (
        "Gemma2Attention Gemma2DecoderLayer Gemma2ForCausalLM Gemma2ForSequenceClassification "
        "Gemma2ForTokenClassification Gemma2MLP Gemma2Model Gemma2PreTrainedModel Gemma2RMSNorm "
        "Gemma2RotaryEmbedding Gemma2TextScaledWordEmbedding"
    ),
    "gpt2": (
        "GPT2Attention GPT2Block GPT2DoubleHeadsModel GPT2ForQuestionAnswering GPT2ForSequenceClassification "
        "GPT2ForTokenClassification GPT2LMHeadModel GPT2MLP GPT2Model GPT2PreTrainedModel GPT2SequenceSummary"
    ),
    "gpt_neo": (
        "GPTNeoAttention GPTNeoBlock GPTNeoFlashAttention2 GPTNeoForCausalLM GPTNeoForQuestionAnswering "
        "GPTNeoForSequenceClassification GPTNeoForTokenClassification GPTNeoMLP GPTNeoModel GPTNeoPreTrainedModel "
        "GPTNeoSelfAttention"
    ),
    "gpt_neox": (
        "GPTNeoXAttention GPTNeoXForCausalLM GPTNeoXForQuestionAnswering GPTNeoXForSequenceClassification "
        "GPTNeoXForTokenClassification GPTNeoXLayer GPTNeoXMLP GPTNeoXModel GPTNeoXPreTrainedModel GPTNeoXRMSNorm "
        "GPTNeoXRotaryEmbedding"
    ),
    "gptj": (
        "GPTJAttention GPTJBlock GPTJFlashAttention2 GPTJForCausalLM GPTJForQuestionAnswering "
        "GPTJForSequenceClassification GPTJMLP GPTJModel GPTJPreTrainedModel"
    ),
    "llama": (
        "LlamaAttention LlamaDecoderLayer LlamaForCausalLM LlamaForQuestionAnswering "
        "LlamaForSequenceClassification LlamaForTokenClassification LlamaMLP LlamaModel LlamaPreTrainedModel "
        "LlamaRMSNorm LlamaRotaryEmbedding"
    ),
    "marian": (
        "MarianAttention MarianDecoder MarianDecoderLayer MarianDecoderWrapper MarianEncoder MarianEncoderLayer "
        "MarianForCausalLM MarianMTModel MarianModel MarianPreTrainedModel MarianSinusoidalPositionalEmbedding"
    ),
    "mbart": (
        "MBartAttention MBartClassificationHead MBartDecoder MBartDecoderLayer MBartDecoderWrapper MBartEncoder "
        "MBartEncoderLayer MBartForCausalLM MBartForConditionalGeneration MBartForQuestionAnswering "
        "MBartForSequenceClassification MBartLearnedPositionalEmbedding MBartModel MBartPreTrainedModel "
        "MBartScaledWordEmbedding"
    ),
    "mistral": (
        "MistralAttention MistralDecoderLayer MistralForCausalLM MistralForQuestionAnswering "
        "MistralForSequenceClassification MistralForTokenClassification MistralMLP MistralModel "
        "MistralPreTrainedModel MistralRMSNorm MistralRotaryEmbedding"
    ),
    "mixtral": (
        "MixtralAttention MixtralBlockSparseTop2MLP MixtralDecoderLayer MixtralExperts MixtralForCausalLM "
        "MixtralForQuestionAnswering MixtralForSequenceClassification MixtralForTokenClassification MixtralModel "
        "MixtralPreTrainedModel MixtralRMSNorm MixtralRotaryEmbedding MixtralSparseMoeBlock MixtralTopKRouter"
    ),
    "mpnet": (
        "MPNetAttention MPNetClassificationHead MPNetEmbeddings MPNetEncoder MPNetForMaskedLM "
        "MPNetForMultipleChoice MPNetForQuestionAnswering MPNetForSequenceClassification "
        "MPNetForTokenClassification MPNetIntermediate MPNetLMHead MPNetLayer MPNetModel MPNetOutput MPNetPooler "
        "MPNetPreTrainedModel MPNetSelfAttention"
    ),
    "mt5": (
        "MT5Attention MT5Block MT5ClassificationHead MT5DenseActDense MT5DenseGatedActDense MT5EncoderModel "
        "MT5ForConditionalGeneration MT5ForQuestionAnswering MT5ForSequenceClassification "
        "MT5ForTokenClassification MT5LayerCrossAttention MT5LayerFF MT5LayerNorm MT5LayerSelfAttention MT5Model "
        "MT5PreTrainedModel MT5Stack"
    ),
    "opt": (
        "OPTAttention OPTDecoder OPTDecoderLayer OPTForCausalLM OPTForQuestionAnswering "
        "OPTForSequenceClassification OPTLearnedPositionalEmbedding OPTModel OPTPreTrainedModel"
    ),
    "pegasus": (
        "PegasusAttention PegasusDecoder PegasusDecoderLayer PegasusDecoderWrapper PegasusEncoder "
        "PegasusEncoderLayer PegasusForCausalLM PegasusForConditionalGeneration PegasusModel "
        "PegasusPreTrainedModel PegasusSinusoidalPositionalEmbedding"
    ),
    "phi": (
        "PhiAttention PhiDecoderLayer PhiForCausalLM PhiForSequenceClassification PhiForTokenClassification "
        "PhiMLP PhiModel PhiPreTrainedModel PhiRotaryEmbedding"
    ),
    "phi3": (
        "Phi3Attention Phi3DecoderLayer Phi3ForCausalLM Phi3ForSequenceClassification Phi3ForTokenClassification "
        "Phi3MLP Phi3Model Phi3PreTrainedModel Phi3RMSNorm Phi3RotaryEmbedding"
    ),
    "qwen2": (
        "Qwen2Attention Qwen2DecoderLayer Qwen2ForCausalLM Qwen2ForQuestionAnswering "
        "Qwen2ForSequenceClassification Qwen2ForTokenClassification Qwen2MLP Qwen2Model Qwen2PreTrainedModel "
        "Qwen2RMSNorm Qwen2RotaryEmbedding"
    ),
    "qwen3": (
        "Qwen3Attention Qwen3DecoderLayer Qwen3ForCausalLM Qwen3ForQuestionAnswering "
        "Qwen3ForSequenceClassification Qwen3ForTokenClassification Qwen3MLP Qwen3Model Qwen3PreTrainedModel "
        "Qwen3RMSNorm Qwen3RotaryEmbedding"
    ),
    "resnet": (
        "ResNetBackbone ResNetBasicLayer ResNetBottleNeckLayer ResNetConvLayer ResNetEmbeddings ResNetEncoder "
        "ResNetForImageClassification ResNetModel ResNetPreTrainedModel ResNetShortCut ResNetStage"
    ),
    "roberta": (
        "RobertaAttention RobertaClassificationHead RobertaCrossAttention RobertaEmbeddings RobertaEncoder "
        "RobertaForCausalLM RobertaForMaskedLM RobertaForMultipleChoice RobertaForQuestionAnswering "
        "RobertaForSequenceClassification RobertaForTokenClassification RobertaIntermediate RobertaLMHead "
        "RobertaLayer RobertaModel RobertaOutput RobertaPooler RobertaPreTrainedModel RobertaSdpaSelfAttention "
        "RobertaSelfAttention RobertaSelfOutput"
    ),
    "swin": (
        "SwinAttention SwinBackbone SwinDropPath SwinEmbeddings SwinEncoder SwinForImageClassification "
        "SwinForMaskedImageModeling SwinIntermediate SwinLayer SwinMLP SwinModel SwinOutput SwinPatchEmbeddings "
        "SwinPatchMerging SwinPreTrainedModel SwinRelativePositionBias SwinSelfAttention SwinSelfOutput SwinStage"
    ),
    "t5": (
        "T5Attention T5Block T5ClassificationHead T5DenseActDense T5DenseGatedActDense T5EncoderModel "
        "T5ForConditionalGeneration T5ForQuestionAnswering T5ForSequenceClassification T5ForTokenClassification "
        "T5LayerCrossAttention T5LayerFF T5LayerNorm T5LayerSelfAttention T5Model T5PreTrainedModel T5Stack"
    ),
    "vit": (
        "ViTAttention ViTEmbeddings ViTEncoder ViTForImageClassification ViTForMaskedImageModeling "
        "ViTIntermediate ViTLayer ViTMLP ViTModel ViTOutput ViTPatchEmbeddings ViTPooler ViTPreTrainedModel "
        "ViTSelfAttention ViTSelfOutput"
    ),
    "wav2vec2": (
        "AMSoftmaxLoss TDNNLayer Wav2Vec2Adapter Wav2Vec2AdapterLayer Wav2Vec2Attention Wav2Vec2AttnAdapterLayer "
        "Wav2Vec2Encoder Wav2Vec2EncoderLayer Wav2Vec2EncoderLayerStableLayerNorm Wav2Vec2EncoderStableLayerNorm "
        "Wav2Vec2FeatureEncoder Wav2Vec2FeatureExtractor Wav2Vec2FeatureProjection Wav2Vec2FeedForward "
        "Wav2Vec2ForAudioFrameClassification Wav2Vec2ForCTC Wav2Vec2ForMaskedLM Wav2Vec2ForPreTraining "
        "Wav2Vec2ForSequenceClassification Wav2Vec2ForXVector Wav2Vec2GroupNormConvLayer "
        "Wav2Vec2GumbelVectorQuantizer Wav2Vec2LayerNormConvLayer Wav2Vec2Model Wav2Vec2NoLayerNormConvLayer "
        "Wav2Vec2PositionalConvEmbedding Wav2Vec2PreTrainedModel Wav2Vec2SamePadLayer"
    ),
    "whisper": (
        "WhisperAttention WhisperDecoder WhisperDecoderLayer WhisperDecoderWrapper WhisperEncoder "
        "WhisperEncoderLayer WhisperForAudioClassification WhisperForCausalLM WhisperForConditionalGeneration "
        "WhisperModel WhisperPositionalEmbedding WhisperPreTrainedModel"
    ),
    "xlm_roberta": (
        "XLMRobertaAttention XLMRobertaClassificationHead XLMRobertaCrossAttention XLMRobertaEmbeddings "
        "XLMRobertaEncoder XLMRobertaForCausalLM XLMRobertaForMaskedLM XLMRobertaForMultipleChoice "
        "XLMRobertaForQuestionAnswering XLMRobertaForSequenceClassification XLMRobertaForTokenClassification "
        "XLMRobertaIntermediate XLMRobertaLMHead XLMRobertaLayer XLMRobertaModel XLMRobertaOutput "
        "XLMRobertaPooler XLMRobertaPreTrainedModel XLMRobertaSdpaSelfAttention XLMRobertaSelfAttention "
        "XLMRobertaSelfOutput"
    ),
}
_TRANSFORMERS_MODULE_CLASSES: Final = tuple(
    f"transformers.models.{arch}.modeling_{arch}.{name}"
    for arch, names in _TRANSFORMERS_MODELING.items()
    for name in names.split()
)
# transformers activation modules and GPT-2's Conv1D: their constructors only store a function or two tensors.
_TRANSFORMERS_ACTIVATIONS: Final = (  # noqa: SIM905 - a word list reads better as data
    "AccurateGELUActivation ClippedGELUActivation FastGELUActivation GELUActivation GELUTanh LaplaceActivation "
    "LinearActivation MishActivation NewGELUActivation PytorchGELUTanh QuickGELUActivation ReLUSquaredActivation "
    "SiLUActivation SqrtSoftplusActivation"
).split()
# Configuration-like classes that real files build with NEWOBJ + BUILD (no __setstate__: BUILD only fills
# __dict__), but whose constructors read files or reach the network: safe to name, reported when called.
_BUILD_ONLY: Final[dict[str, str]] = {
    "transformers.training_args.TrainingArguments": "TrainingArguments.__post_init__ reads the deepspeed/fsdp_config "
    "files its arguments name",
    "transformers.training_args_seq2seq.Seq2SeqTrainingArguments": "Seq2SeqTrainingArguments.__post_init__ reads the "
    "deepspeed/fsdp_config files its arguments name",
    "accelerate.state.PartialState": "PartialState(**kwargs) initialises torch.distributed with the pickle's "
    "arguments (init_process_group connects to the address they name)",
    "transformers.generation.configuration_utils.GenerationConfig": "GenerationConfig(**kwargs) builds nested "
    "configs from the pickle's arguments; saved files never call it",
    "transformers.tokenization_utils_tokenizers.TokenizersBackend": "tokenizer constructors read the vocab and "
    "tokenizer files their arguments name",
    "transformers.tokenization_utils_fast.PreTrainedTokenizerFast": "tokenizer constructors read the vocab and "
    "tokenizer files their arguments name",
    "transformers.models.bert.tokenization_bert.BertTokenizer": "tokenizer constructors read the vocab file their "
    "arguments name",
    "transformers.models.bert.tokenization_bert_fast.BertTokenizerFast": "tokenizer constructors read the vocab and "
    "tokenizer files their arguments name",
    "peft.tuners.lora.config.LoraConfig": "LoraConfig.__post_init__ validates and converts nested configs; saved "
    "files never call it",
    "peft.tuners.lora.config.LoraRuntimeConfig": "saved files never call it",
}

ALLOWED: Final[frozenset[str]] = frozenset(
    [
        # torch.save (zip and legacy formats): tensor and parameter rebuild helpers, storages, dtypes.
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_tensor_v3",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch._utils._rebuild_qtensor",
        "torch._utils._rebuild_sparse_tensor",
        "torch._utils._rebuild_nested_tensor",
        "torch._utils._rebuild_meta_tensor_no_storage",
        "torch._utils._rebuild_wrapper_subclass",
        "torch._utils._rebuild_device_tensor_from_numpy",
        "torch._utils._rebuild_device_tensor_from_cpu_tensor",
        "torch._tensor._rebuild_from_type",
        "torch._tensor._rebuild_from_type_v2",
        "torch.serialization._get_layout",
        "torch.storage.UntypedStorage",
        "torch.storage.TypedStorage",
        "torch.storage._TypedStorage",
        "torch.Size",
        "torch.device",
        "torch.dtype",
        "torch.Tensor",
        "torch.nn.parameter.Parameter",
        "torch.nn.parameter.UninitializedParameter",
        "torch.nn.parameter.Buffer",
        "torch.nn.utils.parametrize.ParametrizationList",
        "torch.ao.quantization.observer.MinMaxObserver",
        *(f"torch.{name}" for name in _TORCH_DTYPES),
        *(f"torch.{name}Storage" for name in _TORCH_STORAGES),
        *(f"torch.cuda.{name}Storage" for name in _TORCH_STORAGES),
        # numpy pickling (pickle.dumps of arrays, scalars, dtypes, masked arrays, random state).
        "numpy.core.multiarray._reconstruct",
        "numpy._core.multiarray._reconstruct",
        "numpy.core.multiarray.scalar",
        "numpy._core.multiarray.scalar",
        "numpy.core.numeric._frombuffer",
        "numpy._core.numeric._frombuffer",
        "numpy.dtype",
        "numpy.ndarray",
        "numpy.matrix",
        "numpy.matrixlib.defmatrix.matrix",
        "numpy.recarray",
        "numpy.record",
        "numpy.core.records.recarray",
        "numpy._core.records.recarray",
        "numpy.ma.MaskedArray",
        "numpy.ma.core.MaskedArray",
        "numpy.ma.core._mareconstruct",
        "numpy.memmap",
        "numpy.random._pickle.__randomstate_ctor",
        "numpy.random._pickle.__bit_generator_ctor",
        "numpy.random._pickle.__generator_ctor",
        "numpy.random.mtrand.RandomState",
        "numpy.random._generator.Generator",
        "numpy.random._mt19937.MT19937",
        "numpy.random._pcg64.PCG64",
        "numpy.random._pcg64.PCG64DXSM",
        "numpy.random._philox.Philox",
        "numpy.random._sfc64.SFC64",
        "numpy.random.bit_generator.SeedSequence",
        "numpy.random.bit_generator.__pyx_unpickle_SeedSequence",
        # Python's own pickling of plain values (protocol 0-2 helpers and builtin containers).
        "copyreg._reconstructor",
        "copyreg.__newobj__",
        "copyreg.__newobj_ex__",
        "_codecs.encode",  # protocol 2 writes bytes as _codecs.encode(str, 'latin1')
        "builtins.object",
        "builtins.list",
        "builtins.dict",
        "builtins.set",
        "builtins.frozenset",
        "builtins.tuple",
        "builtins.bytearray",
        "builtins.bytes",
        "builtins.str",
        "builtins.int",
        "builtins.float",
        "builtins.complex",
        "builtins.bool",
        "builtins.slice",
        "builtins.range",
        "builtins.xrange",  # Python 2 range, mapped by fix_imports
        "builtins.reversed",
        "builtins.enumerate",
        "builtins.NotImplemented",
        "builtins.Ellipsis",
        # collections and the standard library value types that models and configs hold.
        "collections.OrderedDict",
        "collections.defaultdict",
        "collections.Counter",
        "collections.deque",
        "collections.ChainMap",
        "datetime.datetime",
        "datetime.date",
        "datetime.time",
        "datetime.timedelta",
        "datetime.timezone",
        "decimal.Decimal",
        "fractions.Fraction",
        "uuid.UUID",
        "uuid.SafeUUID",
        "enum.Enum",
        "argparse.Namespace",  # training scripts save their parsed arguments
        "types.SimpleNamespace",
        "zoneinfo.ZoneInfo",
        "zoneinfo._zoneinfo.ZoneInfo",
        "pytz._p",
        "pytz._UTC",
        "dateutil.tz.tz.tzutc",
        "dateutil.tz.tz.tzoffset",
        "pathlib.Path",  # configs and training arguments hold paths; methods are judged separately
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "pathlib.PurePosixPath",
        "pathlib.PureWindowsPath",
        "pathlib.PurePath",
        "re._compile",  # compiled patterns in tokenizers and sklearn vectorizers
        # pandas (DataFrame, Series, indexes, dtypes, extension arrays, block managers).
        "pandas.DataFrame",
        "pandas.Series",
        "pandas.Index",
        "pandas.RangeIndex",
        "pandas.MultiIndex",
        "pandas.DatetimeIndex",
        "pandas.TimedeltaIndex",
        "pandas.PeriodIndex",
        "pandas.IntervalIndex",
        "pandas.CategoricalIndex",
        "pandas.Categorical",
        "pandas.CategoricalDtype",
        "pandas.DatetimeTZDtype",
        "pandas.PeriodDtype",
        "pandas.IntervalDtype",
        "pandas.StringDtype",
        "pandas.Interval",
        "pandas.Timestamp",
        "pandas.Timedelta",
        "pandas.Period",
        "pandas.arrays.DatetimeArray",
        "pandas.arrays.TimedeltaArray",
        "pandas.arrays.PeriodArray",
        "pandas.arrays.StringArray",
        "pandas.arrays.IntervalArray",
        "pandas.arrays.IntegerArray",
        "pandas.arrays.FloatingArray",
        "pandas.arrays.BooleanArray",
        "pandas.arrays.ArrowStringArray",
        "pandas._libs.arrays.__pyx_unpickle_NDArrayBacked",
        "pandas._libs.internals._unpickle_block",
        "pandas._libs.tslibs.timestamps._unpickle_timestamp",
        "pandas._libs.tslibs.timedeltas._timedelta_unpickle",
        "pandas._libs.tslibs.nattype.__nat_unpickle",
        "pandas._libs.tslibs.timezones.tz_standardize",
        "pandas.core.indexes.base._new_Index",
        "pandas.core.indexes.datetimes._new_DatetimeIndex",
        "pandas.core.indexes.interval._new_IntervalIndex",
        "pandas.core.indexes.period._new_PeriodIndex",
        "pandas.core.internals.managers.BlockManager",
        "pandas.core.internals.managers.SingleBlockManager",
        "pandas.core.internals.blocks.new_block",
        "pandas.core.frame.DataFrame",
        "pandas.core.series.Series",
        "pandas.core.arrays.categorical.Categorical",
        "pandas.core.dtypes.dtypes.CategoricalDtype",
        "pandas.core.arrays.sparse.array.SparseArray",
        # joblib.dump: the wrappers before inline array bytes.
        "joblib.numpy_pickle.NumpyArrayWrapper",
        "joblib.numpy_pickle.NDArrayWrapper",
        "joblib.numpy_pickle_compat.NDArrayWrapper",
        "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
        # xgboost / lightgbm / catboost estimators pickle their boosters as bytes or model text.
        "xgboost.core.Booster",
        "xgboost.sklearn.XGBClassifier",
        "xgboost.sklearn.XGBRegressor",
        "xgboost.sklearn.XGBRanker",
        "xgboost.sklearn.XGBRFClassifier",
        "xgboost.sklearn.XGBRFRegressor",
        "lightgbm.basic.Booster",
        "lightgbm.sklearn.LGBMClassifier",
        "lightgbm.sklearn.LGBMRegressor",
        "lightgbm.sklearn.LGBMRanker",
        "catboost.core.CatBoostClassifier",
        "catboost.core.CatBoostRegressor",
        # scikit-learn Cython internals pickled inside fitted estimators.
        "sklearn.tree._tree.Tree",
        "sklearn._loss._loss.CyHalfBinomialLoss",
        "sklearn._loss._loss.CyHalfMultinomialLoss",
        "sklearn._loss._loss.CyHalfSquaredError",
        "sklearn._loss._loss.CyAbsoluteError",
        "sklearn._loss._loss.CyPinballLoss",
        "sklearn._loss._loss.CyHalfPoissonLoss",
        "sklearn._loss._loss.CyHalfGammaLoss",
        "sklearn._loss._loss.CyHalfTweedieLoss",
        "sklearn._loss._loss.CyHuberLoss",
        "sklearn._loss._loss.CyExponentialLoss",
        "sklearn.neighbors._kd_tree.KDTree",
        "sklearn.neighbors._ball_tree.BallTree",
        "sklearn.neighbors._kd_tree.newObj",
        "sklearn.neighbors._ball_tree.newObj",
        "sklearn.utils._bunch.Bunch",
        "scipy.sparse._csr.csr_matrix",
        "scipy.sparse._csc.csc_matrix",
        "scipy.sparse._coo.coo_matrix",
        "scipy.sparse._csr.csr_array",
        "scipy.sparse._csc.csc_array",
        "scipy.sparse.csr.csr_matrix",
        "scipy.sparse.csc.csc_matrix",
        # transformers / tokenizers: training_args.bin and pickled tokenizers.
        "tokenizers.Tokenizer",
        "tokenizers.AddedToken",
        "tokenizers.models.Model",
        "transformers.tokenization_utils_base.BatchEncoding",
        "transformers.tokenization_utils.Trie",
        # Found by tests/scanners/pickle/test_benign_wide.py (real pickles of the libraries in the venv).
        "zoneinfo.ZoneInfo._unpickle",  # reached as getattr(ZoneInfo, "_unpickle"), a classmethod reduce
        "re.RegexFlag",
        "random.Random",
        "array.array",
        "array._array_reconstructor",
        "logging.getLogger",  # Logger.__reduce__; getLogger only looks a logger up by name
        "collections.UserDict",
        "collections.UserList",
        "collections.UserString",
        "numpy.rec.recarray",
        "numpy.rec.record",
        "numpy.core.records.record",
        "numpy._core.records.record",
        "sklearn.metrics._dist_metrics.newObj",
        "pandas.NA",
        "pandas.NaT",
        "pandas.SparseDtype",
        "pandas.ArrowDtype",
        "pandas.BooleanDtype",
        "pandas.Float32Dtype",
        "pandas.Float64Dtype",
        *(f"pandas.{k}Int{n}Dtype" for k in ("", "U") for n in (8, 16, 32, 64)),
        "pandas.arrays.SparseArray",
        "pandas.arrays.NumpyExtensionArray",
        "pandas.arrays.ArrowExtensionArray",
        "pandas._libs.sparse.IntIndex",
        "pandas._libs.sparse.BlockIndex",
        "pandas._libs.interval.Interval",
        "pandas._libs.interval.__pyx_unpickle_IntervalMixin",
        "pandas._libs.tslibs.nattype._nat_unpickle",
        "pandas._libs.missing.NAType",
        "pandas.core.indexes.timedeltas._new_TimedeltaIndex",
        "pandas.core.indexes.multi.MultiIndex",
        "pandas.core.indexes.range.RangeIndex",
        "pandas.core.internals.blocks.Block",
        "pandas.core.internals.blocks.NumpyBlock",
        "pandas.core.internals.blocks.ExtensionBlock",
        "pandas.core.internals.blocks.DatetimeLikeBlock",
        "pandas.core.internals.blocks.ObjectBlock",
        *(
            f"scipy.sparse._{m}.{m}_{k}"
            for m in ("csr", "csc", "coo", "bsr", "dia", "lil", "dok")
            for k in ("matrix", "array")
        ),
        *(f"scipy.sparse.{m}.{m}_matrix" for m in ("coo", "bsr", "dia", "lil", "dok")),
        # pyarrow (pandas 3 string columns, ArrowDtype, tables): type factories and buffer rebuilders.
        *(f"pyarrow.lib.{name}" for name in _PYARROW_LIB),
        # numpy scalar types (dtype= arguments of estimators) and ufuncs (FunctionTransformer(func=np.log1p)):
        # pure arithmetic, safe to call with any arguments.
        *(f"numpy.{name}" for name in _NUMPY_SCALAR_TYPES),
        *(f"numpy.{name}" for name in _NUMPY_UFUNCS),
        *(f"numpy.{name}" for name in ("mean", "median", "sum", "std", "var", "amin", "amax", "min", "max", "clip")),
        *(f"numpy.{name}" for name in ("nanmean", "nanmedian", "nansum", "nanstd", "nanvar", "nanmin", "nanmax")),
        # Activation functions that modules keep as attributes (TransformerEncoderLayer stores F.relu or
        # F.gelu; custom modules store torch.tanh ...): pure tensor arithmetic, safe to call with any arguments.
        *(f"torch.nn.functional.{name}" for name in _TORCH_ACTIVATIONS),
        *(f"torch.{name}" for name in ("relu", "sigmoid", "tanh", "softmax", "log_softmax", "selu", "celu")),
        *(f"torch._C._nn.{name}" for name in ("gelu", "softplus", "log_sigmoid", "softshrink")),  # F.gelu's real name
        # Found by benchmarks/corpus/build_benign_zoo.py (tiny models saved by transformers 5.23, accelerate 1.15,
        # peft 0.21, tokenizers 0.23): whole-model torch.save, pickled tokenizers, configs and training_args.bin.
        *_TRANSFORMERS_MODULE_CLASSES,
        *(f"transformers.activations.{name}" for name in _TRANSFORMERS_ACTIVATIONS),
        "transformers.pytorch_utils.Conv1D",
        *_BUILD_ONLY,
        "tokenizers.Encoding",  # BatchEncoding.encodings; __setstate__ parses the encoding's JSON
        "peft.utils.peft_types.PeftType",  # a str enum: calling it looks a member up by value
    ]
)

# Allowlisted classes whose construction has side effects: safe to *name* (a loader imports them and
# ``numpy.core.multiarray._reconstruct(numpy.memmap, ...)`` only uses the type), dangerous when a call
# site runs them. "call" covers ``f(*args)`` (REDUCE, INST, OBJ, and the callables that allowlisted
# helpers call for us); "new" covers ``cls.__new__(cls, *args)`` (NEWOBJ, copyreg.__newobj__).
UNSAFE_TO_CALL: Final[dict[str, tuple[frozenset[str], str]]] = {
    "numpy.memmap": (frozenset({"call", "new"}), "numpy.memmap(filename, mode='w+') creates and maps a file"),
    "xgboost.core.Booster": (frozenset({"call"}), "Booster(model_file=...) reads a file the pickle names"),
    "lightgbm.basic.Booster": (frozenset({"call"}), "Booster(model_file=...) reads a file the pickle names"),
    "torch.storage.UntypedStorage": (frozenset({"call"}), "UntypedStorage(size) allocates what the pickle asks"),
    **{key: (frozenset({"call"}), why) for key, why in _BUILD_ONLY.items()},
    **dict.fromkeys(
        _TRANSFORMERS_MODULE_CLASSES,
        (frozenset({"call"}), "PreTrainedModel.__init__(config) may fetch an attention kernel from the Hub"),
    ),
}

# Allowlisted classes that open a file named in their state when the loader builds them, and the file
# names that are a plain sibling of the pickle (scanned on their own): joblib <= 0.9 wrote arrays beside
# the pickle as ``<name>_01.npy``; joblib/numpy_pickle_compat.py NDArrayWrapper.read still runs
# ``np.load(os.path.join(dirname, self.filename), allow_pickle=True)`` from NumpyUnpickler.load_build.
SIDE_FILE_LOADERS: Final[dict[str, str]] = {
    f"joblib.{module}.NDArrayWrapper": (
        "joblib.load passes os.path.join(<pickle dir>, filename) to numpy.load(allow_pickle=True) "
        "(joblib/numpy_pickle_compat.py NDArrayWrapper.read), so the file it names is unpickled unscanned"
    )
    for module in ("numpy_pickle", "numpy_pickle_compat")
}
SIBLING_NPY: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}\.npy")
# joblib's array wrappers: their state's ``subclass`` is only compared with ndarray/memmap (a type check).
JOBLIB_WRAPPERS: Final = frozenset(
    {
        "joblib.numpy_pickle.NumpyArrayWrapper",
        "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
        *SIDE_FILE_LOADERS,
    }
)

# Allowlisted helpers that call or construct one of their arguments: the argument at each index is
# judged as a callee in that role, so a helper cannot launder a callable (torch's
# _rebuild_from_type_v2(func, new_type, args, state) runs func(*args)).
#   call: value(*...) runs; new: value.__new__ runs; ref: only the type is used (never run).
CALLEE_ARGS: Final[dict[str, tuple[tuple[int, str], ...]]] = {
    "torch._tensor._rebuild_from_type": ((0, "call"), (1, "ref")),
    "torch._tensor._rebuild_from_type_v2": ((0, "call"), (1, "ref")),
    "torch._utils._rebuild_wrapper_subclass": ((0, "new"),),
    "copyreg._reconstructor": ((0, "ref"), (1, "call")),
    "copyreg.__newobj__": ((0, "new"),),
    "copyreg.__newobj_ex__": ((0, "new"),),
    "numpy.core.multiarray._reconstruct": ((0, "ref"),),
    "numpy._core.multiarray._reconstruct": ((0, "ref"),),
    "numpy.ma.core._mareconstruct": ((0, "new"), (1, "ref")),
    "numpy.random._pickle.__bit_generator_ctor": ((0, "call"),),
    "numpy.random._pickle.__generator_ctor": ((0, "call"), (1, "call")),
    "numpy.random._pickle.__randomstate_ctor": ((0, "call"), (1, "call")),
    "sklearn.neighbors._kd_tree.newObj": ((0, "new"),),
    "sklearn.neighbors._ball_tree.newObj": ((0, "new"),),
    "sklearn.metrics._dist_metrics.newObj": ((0, "new"),),
    "pandas.core.indexes.base._new_Index": ((0, "new"),),
    "pandas.core.indexes.datetimes._new_DatetimeIndex": ((0, "new"),),
    "pandas.core.indexes.interval._new_IntervalIndex": ((0, "new"),),
    "pandas.core.indexes.period._new_PeriodIndex": ((0, "new"),),
    "pandas.core.indexes.timedeltas._new_TimedeltaIndex": ((0, "new"),),
    "functools.partial": ((0, "call"),),
}

# Dangerous-by-default globals that real libraries nevertheless write, and the condition under which
# the analysis vets a use (every reference to the import must be a vetted call, else it is reported):
#   getattr: getattr(<allowlisted global>, "<literal>") resolves to an allowlisted path (pickle writes
#            bound classmethods such as ZoneInfo._unpickle this way, at every protocol);
#   bytes-literal: torch.storage._load_from_bytes(<literal>) when the literal is a torch legacy stream
#            that was scanned completely (pickle.dumps of a tensor writes this);
#   wraps-safe: functools.partial(<allowlisted global>, ...) (a partial of a safe function is safe).
CONDITIONAL: Final[dict[str, str]] = {
    "builtins.getattr": "getattr",
    "torch.storage._load_from_bytes": "bytes-literal",
    "functools.partial": "wraps-safe",
}

# (module pattern, name pattern, why): classes (CamelCase, optionally private) of state-only class
# families, and a few families of pure functions that estimators store (scorers, score functions).
_CAMEL: Final = r"_?[A-Z][A-Za-z0-9]*"
_SKLEARN_ESTIMATOR_MODULES: Final = (
    r"sklearn\.(?:linear_model|ensemble|tree|svm|neighbors|naive_bayes|cluster|decomposition|"
    r"preprocessing|pipeline|compose|feature_extraction|feature_selection|impute|"
    r"model_selection|neural_network|discriminant_analysis|kernel_approximation|"
    r"calibration|multiclass|multioutput|dummy|isotonic|manifold|mixture|"
    r"cross_decomposition|covariance|semi_supervised|random_projection|gaussian_process|"
    r"kernel_ridge|frozen|_loss|metrics)(?:\.[a-z_0-9]+)*"
)
CLASS_PATTERNS: Final[tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]] = tuple(
    (re.compile(module), re.compile(name), why)
    for module, name, why in (
        (r"torch\.nn\.modules\.[a-z_]+", _CAMEL, "full nn.Module pickles name every layer class"),
        (r"torch\.ao\.nn\.[a-z_.]+", _CAMEL, "quantized layer classes"),
        (r"torch\.nn\.(?:quantized|intrinsic|qat)\.[a-z_.]+", _CAMEL, "quantized layer classes"),
        (r"torch\.optim\.[a-z_]+", _CAMEL, "optimizer state objects in training checkpoints"),
        (r"torch\.optim\.lr_scheduler", _CAMEL, "scheduler state in training checkpoints"),
        (r"numpy\.dtypes", _CAMEL, "numpy 2 dtype classes (Float64DType, ...)"),
        (_SKLEARN_ESTIMATOR_MODULES, _CAMEL, "fitted scikit-learn estimators and their internals"),
        (
            r"sklearn\.metrics(?:\._[a-z_]+)?",
            r"[a-z][a-z0-9_]*_(?:score|error|loss|similarity|distances?|kernel|curve|deviance)",
            "score functions stored by scorers (GridSearchCV.scorer_, make_scorer)",
        ),
        (
            r"sklearn\.feature_selection\._univariate_selection",
            r"f_classif|f_regression|r_regression|chi2|f_oneway",
            "SelectKBest(score_func=...)",
        ),
        (
            r"sklearn\.feature_selection\._mutual_info",
            r"mutual_info_classif|mutual_info_regression",
            "SelectKBest(score_func=...)",
        ),
        (r"pandas\.core\.(?:arrays|dtypes|indexes)(?:\.[a-z_]+)*", _CAMEL, "pandas extension arrays and dtypes"),
        (r"pandas\._libs\.tslibs\.offsets", _CAMEL, "date offsets in indexes (Day, MonthEnd, ...)"),
        (r"transformers\.(?:training_args|trainer_utils|debug_utils|trainer_pt_utils)", _CAMEL, "training_args.bin"),
        (r"transformers\.models\.[a-z0-9_]+\.configuration_[a-z0-9_]+", _CAMEL, "model configs"),
        (r"transformers\.configuration_utils", _CAMEL, "model configs"),
        (r"accelerate\.utils\.dataclasses", _CAMEL, "training_args.bin enums"),
        (r"tokenizers\.(?:models|pre_tokenizers|normalizers|decoders|processors)", _CAMEL, "tokenizer parts"),
        (r"builtins", r"[A-Z][A-Za-z]*(?:Error|Exception|Warning|Exit|Interrupt|Iteration)", "exception values"),
    )
)

# Names the class patterns never cover: modules import these into the matched modules, and they are not
# state classes (sklearn's Parallel runs callables; F, _VF and _Reduction are modules; typing helpers).
# Found by importing every module the patterns match (tests/scanners/pickle/test_allowlist_audit.py).
PATTERN_EXCLUDED: Final = frozenset(
    {"Parallel", "F", "_VF", "_Reduction", "TypeVar", "ParamSpec", "NamedTuple", "TypedDict", "StringIO", "Protocol"}
)

# Top-level packages whose members we know; an unknown global under them is rated lower than one
# from a package we have never seen, because it is more likely a new version's class.
KNOWN_PACKAGES: Final = frozenset(
    {
        "torch",
        "numpy",
        "sklearn",
        "scipy",
        "pandas",
        "joblib",
        "xgboost",
        "lightgbm",
        "catboost",
        "transformers",
        "tokenizers",
        "accelerate",
        "pyarrow",
        "collections",
        "datetime",
        "builtins",
        "copyreg",
        "_codecs",
        "decimal",
        "fractions",
        "uuid",
        "enum",
        "re",
        "zoneinfo",
        "pytz",
        "dateutil",
    }
)


# --- module normalisation ----------------------------------------------------------------------

MODULE_ALIASES: Final[dict[str, str]] = {
    "posix": "os",
    "nt": "os",
    "__builtin__": "builtins",  # Python 2 name, still accepted by Python 3 loaders (fix_imports)
    "__builtins__": "builtins",
    "exceptions": "builtins",
    "_io": "io",
    "_pickle": "pickle",
    "cPickle": "pickle",
    "copy_reg": "copyreg",
    "_operator": "operator",
    "_functools": "functools",
    "_posixsubprocess": "subprocess",
    "commands": "subprocess",
    "popen2": "subprocess",
    "_socket": "socket",
    "_ssl": "ssl",
    "_thread": "threading",
    "thread": "threading",
    "_ctypes": "ctypes",
    "_collections": "collections",
    "_asyncio": "asyncio",
    "_multiprocessing": "multiprocessing",
    "_sre": "re",
    "urllib2": "urllib",
    "httplib": "http",
    "_xxsubinterpreters": "_interpreters",
    "_winapi": "subprocess",
}


# --- the denylist: rates severity, explains, links the advisory --------------------------------
# Keys are normalised dotted prefixes: "os" matches os.system and os.path.join; "builtins.eval"
# matches only that name. Values are the reason shown to users.
DENYLIST: Final[dict[str, str]] = {
    # Shell and process execution.
    "os": "os/posix/nt functions run shell commands, spawn processes and change files",
    "subprocess": "spawns processes",
    "pty": "pty.spawn runs a program (fickling PR #108)",
    "asyncio": "asyncio subprocess transports spawn processes (CVE-2025-10157, picklescan)",
    "multiprocessing": "starts processes that run arbitrary callables",
    "threading": "runs an arbitrary callable in a thread",
    "concurrent": "executors run arbitrary callables",
    "signal": "sends signals to processes (modelscan PR #339)",
    "_interpreters": "runs source code in a subinterpreter (fickling GHSA-6ggj-6f2q-f7mx)",
    # Code evaluation and import machinery.
    "builtins.eval": "evaluates a Python expression",
    "builtins.exec": "executes Python source",
    "builtins.compile": "compiles source into a code object",
    "builtins.__import__": "imports any module by name",
    "builtins.getattr": "reaches any attribute of any object (getattr chains bypass name checks)",
    "builtins.setattr": "changes attributes of imported objects",
    "builtins.delattr": "removes attributes of imported objects",
    "builtins.globals": "exposes interpreter globals",
    "builtins.locals": "exposes interpreter locals",
    "builtins.vars": "exposes an object's namespace",
    "builtins.open": "opens files for reading or writing",
    "builtins.input": "reads from the terminal",
    "builtins.breakpoint": "starts a debugger",
    "builtins.help": "starts the interactive help pager",
    "builtins.type": "creates classes dynamically",
    "builtins.memoryview": "exposes raw memory of objects",
    "builtins.exit": "terminates the loading process",
    "builtins.quit": "terminates the loading process",
    "builtins.print": "writes to the loader's output",
    "builtins.super": "reaches parent-class methods of arbitrary objects",
    "builtins.classmethod": "wraps arbitrary callables",
    "builtins.staticmethod": "wraps arbitrary callables",
    "builtins.property": "wraps arbitrary callables",
    "sys": "sys.modules and sys attributes reach every loaded module",
    "importlib": "imports any module by name (picklescan issue #66)",
    "pkgutil": "pkgutil.resolve_name reaches any callable by name (GHSA-vvpj-8cmc-gx39)",
    "imp": "imports or loads modules from files",
    "zipimport": "imports code from archives",
    "runpy": "runs modules and scripts",
    "code": "code.interact/InteractiveInterpreter run source strings",
    "codeop": "compiles source strings",
    "types": "types.CodeType/FunctionType build functions from code objects",
    "marshal": "marshal.loads builds code objects",
    "inspect": "reaches frames, globals and source of live objects",
    "gc": "gc.get_objects reaches every live object",
    "ctypes": "calls native functions and loads shared libraries (modelscan PR #339)",
    "cffi": "calls native code",
    "operator.attrgetter": "walks attribute paths on objects (GHSA-m273-6v24-x4m4)",
    "operator.methodcaller": "calls a named method on an object (GHSA-955r-x9j8-7rhh)",
    "operator.itemgetter": "indexes objects such as sys.modules",
    "functools.partial": "wraps a dangerous callable so the REDUCE target looks harmless (fickling PR #210)",
    "functools.reduce": "chains calls",
    "functools.partialmethod": "wraps a callable",
    "copyreg._reconstructor.__globals__": "reaches module globals",
    # Code runners hiding in the standard library (picklescan advisories 2024-2025).
    "pdb": "the debugger runs source strings (GHSA-4675-36f9-wf6r)",
    "bdb": "the debugger base runs source strings (GHSA-4675-36f9-wf6r)",
    "timeit": "timeit.timeit runs a source string (GHSA-v7x6-rv5q-mhwc)",
    "trace": "trace.Trace.run runs a source string (GHSA-46h3-79wf-xr6c)",
    "profile": "profile.run runs a source string (GHSA-7wx9-6375-f5wh)",
    "cProfile": "cProfile.run runs a source string (GHSA-7wx9-6375-f5wh)",
    "doctest": "doctest runs examples from strings",
    "pydoc": "pydoc.pipepager runs a shell command (picklescan advisory, 2025)",
    "idlelib": "IDLE helpers run source and shell commands (GHSA-r8g5-cgf2-4m4m)",
    "lib2to3": "lib2to3 drivers load and run grammar and fixer code (GHSA-r8g5-cgf2-4m4m)",
    "mailcap": "mailcap.findmatch runs the entry's test command (modelscan PR #346)",
    "logging.config": "logging.config.listen/fileConfig evaluate configuration code",
    "cgitb": "runs handlers that inspect frames",
    "unittest.mock": "mock objects call arbitrary callables",
    "site": "site.addsitedir runs .pth files",
    "sysconfig": "exposes and changes interpreter configuration",
    # Package installation.
    "pip": "pip.main installs packages that run setup code (CVE-2025-1716)",
    "ensurepip": "ensurepip._run_pip installs packages (GHSA-xp4f-hrf8-rxw7)",
    "setuptools": "runs setup scripts and installs packages",
    "distutils": "distutils.file_util.write_file and spawn write files and run commands (CVE-2025-10155)",
    "venv": "creates environments and runs pip (GHSA-vqmv-47xg-9wpr)",
    # Files and archives.
    "io": "io.open/FileIO open files for reading or writing (CVE-2025-10156)",
    "pathlib": "Path methods read, write and delete files",
    "shutil": "copies, moves, deletes and unpacks files",
    **{
        f"pathlib.{cls}.{method}": "Path methods read, write and delete files"
        for cls in ("Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath", "PureWindowsPath")
        for method in (
            "write_text",
            "write_bytes",
            "read_text",
            "read_bytes",
            "open",
            "unlink",
            "rmdir",
            "touch",
            "mkdir",
            "rename",
            "replace",
            "symlink_to",
            "hardlink_to",
            "chmod",
        )
    },
    "tempfile": "creates files",
    "fileinput": "reads and rewrites files in place",
    "glob": "enumerates the file system",
    "linecache": "reads arbitrary files",
    "zipfile": "extracts archives (path traversal)",
    "tarfile": "extracts archives (path traversal)",
    "shelve": "opens pickle databases (nested unpickling)",
    "dbm": "opens databases on disk",
    # Nested deserialisers: loading another stream with full code execution.
    "pickle": "pickle.loads runs a nested pickle (GHSA-84r2-jw7c-4r5q)",
    "dill": "dill.loads runs a nested pickle with code objects",
    "cloudpickle": "cloudpickle rebuilds functions from code objects",
    "joblib": "joblib.load runs a nested pickle; Parallel/delayed run callables",
    "yaml": "yaml.load/unsafe_load build arbitrary objects",
    "jsonpickle": "jsonpickle.decode builds arbitrary objects",
    "numpy.load": "numpy.load(allow_pickle=True) runs a nested pickle",
    "numpy.testing._private.utils.runstring": "runs a source string",
    "numpy.f2py": "f2py helpers evaluate expressions (crackfortran.getlincoef, fickling PR #210)",
    "numpy.distutils": "builds and runs compilers",
    "torch.load": "torch.load runs a nested pickle",
    "torch.serialization.load": "torch.load runs a nested pickle",
    "torch.storage._load_from_bytes": "calls torch.load(weights_only=False) on embedded bytes",
    "torch.hub": "torch.hub.load downloads and runs repository code",
    "torch.jit": "TorchScript loading compiles and runs code",
    "torch.package": "torch.package imports code shipped in the archive",
    "torch.utils.bottleneck": "runs a script under the profiler (picklescan advisory, 2025)",
    "torch.utils.cpp_extension": "compiles and loads native code",
    "torch._inductor": "compiles and runs generated code",
    "torch._dynamo": "compiles and runs code",
    "torch.fx": "builds and runs generated Python code",
    "torch.ops": "calls arbitrary registered operators",
    "torch._C._load_for_lite_interpreter": "loads a TorchScript program",
    "tensorflow.io": "reads and writes files (tf.io.write_file)",
    "tensorflow.keras": "loads models whose Lambda layers run code",
    "tensorflow.python.keras": "loads models whose Lambda layers run code",
    "tensorflow.compat": "exposes the file and execution APIs of TensorFlow",
    "keras": "loads models whose Lambda layers run code",
    # Network.
    "socket": "opens network connections",
    "ssl": "opens network connections",
    "http": "makes HTTP requests (GHSA-hgrh-qx5j-jfwx)",
    "urllib": "makes HTTP requests",
    "requests": "makes HTTP requests",
    "aiohttp": "makes HTTP requests (GHSA-hgrh-qx5j-jfwx)",
    "httpx": "makes HTTP requests",
    "ftplib": "opens FTP connections",
    "smtplib": "sends mail",
    "telnetlib": "opens network connections",
    "xmlrpc": "calls remote procedures",
    "webbrowser": "opens URLs in a browser (modelaudit PR #243)",
    # Platform specifics.
    "msvcrt": "Windows C runtime functions",
    "winreg": "reads and writes the Windows registry",
    "_winreg": "reads and writes the Windows registry",
    # Whole modules with no value types a model needs (allowlisted members, e.g. builtins.list,
    # copyreg._reconstructor, uuid.UUID or logging.getLogger, are judged before this table).
    "builtins": "builtins outside plain value types reach the interpreter (map/filter chains, type, vars, ...)",
    "copyreg": "copyreg.add_extension/pickle rewire how later opcodes (EXT1/2/4, reducers) resolve",
    "codecs": "codecs.open and stream wrappers open files",
    "functools": "functools helpers wrap or chain callables (partial, reduce, singledispatch)",
    "operator": "operator helpers call or reach attributes and items (call, attrgetter, methodcaller)",
    "itertools": "lazy iterators chain calls (starmap) that a consuming constructor then runs",
    "copy": "copy/deepcopy call __reduce_ex__/__deepcopy__ on arbitrary objects",
    "weakref": "finalizers run arbitrary callables",
    "atexit": "registers callables that run when the interpreter exits",
    "sched": "schedulers run arbitrary callables",
    "contextlib": "ExitStack callbacks run arbitrary callables",
    "cmd": "cmd.Cmd.onecmd dispatches to named methods",
    "pstats": "pstats.Stats loads marshal files",
    "unittest": "test runners import and run code",
    "test": "the CPython test support package runs interpreters and shell commands",
    "sqlite3": "opens databases on disk and loads extensions",
    "tkinter": "Tcl eval runs commands",
    "_tkinter": "Tcl eval runs commands",
    "turtle": "opens windows and runs Tcl",
    "turtledemo": "runs demo scripts",
    "readline": "reads and writes history files",
    "resource": "changes process limits",
    "mmap": "maps files into memory",
    "select": "waits on descriptors",
    "selectors": "waits on descriptors",
    "fcntl": "controls file descriptors",
    "termios": "controls terminals",
    "tty": "controls terminals",
    "grp": "reads the group database",
    "pwd": "reads the password database",
    "spwd": "reads the shadow password database",
    "crypt": "password hashing",
    "getpass": "reads from the terminal",
    "platform": "platform helpers run shell commands (popen, _syscmd_ver)",
    "_osx_support": "runs shell commands to read compiler settings",
    "uuid": "uuid helpers run system commands (_popen, _ifconfig_getnode)",
    "cgi": "parses requests and reads files",
    "wsgiref": "serves HTTP",
    "socketserver": "listens on sockets",
    "imaplib": "opens network connections",
    "poplib": "opens network connections",
    "nntplib": "opens network connections",
    "smtpd": "listens on sockets",
    "asyncore": "listens on sockets",
    "asynchat": "listens on sockets",
    "xml": "XML parsers resolve external entities and read files",
    "plistlib": "plistlib.load reads files",
    "logging": "handlers open files and sockets; logging.config.listen evaluates configuration",
    "faulthandler": "writes tracebacks to files",
    "tracemalloc": "writes snapshots to files",
    "py_compile": "compiles and writes files",
    "compileall": "compiles and writes files",
    "zipapp": "writes archives",
    "pyclbr": "reads module sources",
    "modulefinder": "imports and runs modules",
    "encodings": "codec search imports modules by name",
    "configparser": "reads files",
    "netrc": "reads credential files",
    "mailbox": "opens files",
    "gzip": "opens and writes files",
    "bz2": "opens and writes files",
    "lzma": "opens and writes files",
    "zlib": "decompresses attacker data (bombs)",
    "wave": "opens files",
    "aifc": "opens files",
    "sunau": "opens files",
    "antigravity": "opens a web browser on import",
    "_imp": "loads native extensions and imports modules",
    "_frozen_importlib": "the import machinery",
    "_frozen_importlib_external": "the import machinery",
    # Third-party libraries that load, download or run code.
    "numpy.lib.npyio": "loads and saves files (numpy.load with allow_pickle)",
    "numpy.lib._npyio_impl": "loads and saves files (numpy.load with allow_pickle)",
    "numpy.lib.format": "read_array(allow_pickle=True) runs a nested pickle",
    "numpy.lib._datasource": "downloads and opens files",
    "numpy.DataSource": "downloads and opens files",
    "numpy.ctypeslib": "load_library loads native code",
    "numpy.fromfile": "reads files",
    "numpy.tofile": "writes files",
    "numpy.genfromtxt": "reads files and URLs",
    "numpy.save": "writes files",
    "numpy.savez": "writes files",
    "numpy.savez_compressed": "writes files",
    "numpy.savetxt": "writes files",
    "torch._C": "the torch C bindings load TorchScript, libraries and run operators",
    "torch.save": "writes files",
    "torch.serialization": "torch.serialization loads and saves files (torch.load)",
    "torch.classes": "torch.classes.load_library loads native code",
    "torch.library": "registers operator implementations",
    "torch._ops": "calls arbitrary registered operators and loads libraries",
    "torch.multiprocessing": "spawns processes",
    "torch.distributed": "RPC runs remote callables",
    "torch.testing": "test helpers run subprocesses",
    "torch.export": "loads and runs exported programs",
    "torch.compile": "compiles and runs code",
    "pandas.io": "pandas readers and writers open files and URLs and unpickle (read_pickle)",
    "pandas.eval": "evaluates expressions",
    "sklearn.datasets": "dataset helpers download and read files",
    "scipy.io": "scipy.io readers and writers (loadmat, savemat, wavfile, netcdf) open files",
    "sklearn.externals": "vendored joblib loads pickles",
    "transformers.dynamic_module_utils": "imports code downloaded from the Hub (trust_remote_code)",
    "huggingface_hub": "downloads files",
    "datasets": "load_dataset downloads and runs dataset scripts",
    "tensorflow": "TensorFlow ops read and write files and run py_func",
    "IPython": "runs cells and shell commands",
    "ruamel": "YAML loaders build arbitrary objects",
    "pexpect": "spawns processes",
    "paramiko": "opens SSH connections and runs remote commands",
    "fabric": "runs shell commands",
    "sh": "runs shell commands",
    "plumbum": "runs shell commands",
    # Scanners themselves: a pickle that imports them wants to disable them (fickling PR #249).
    "fickling": "tampers with the fickling safety hooks",
    "picklescan": "tampers with the picklescan scanner",
    "modelscan": "tampers with the modelscan scanner",
    "mlwarden": "tampers with this scanner",
}

# Module components that, met *inside* a dotted path, mean the loader walks into that module through an
# attribute (torch.serialization has ``os``, so ``torch.serialization`` + ``os.system`` is os.system).
# Under any module these unambiguous names count; under a trusted package (ML or standard library,
# whose attributes we know are the real modules) the wider set counts too.
REENTRY_ALWAYS: Final = frozenset(
    {
        "os", "posix", "nt", "sys", "subprocess", "builtins", "__builtin__", "pickle", "_pickle", "cPickle",
        "marshal", "shutil", "socket", "importlib", "ctypes", "runpy", "pty", "_posixsubprocess",
    }
)  # fmt: skip
REENTRY_TRUSTED: Final = REENTRY_ALWAYS | frozenset(
    {
        "io", "_io", "codecs", "pathlib", "tempfile", "threading", "asyncio", "multiprocessing", "functools",
        "operator", "copyreg", "copy", "types", "inspect", "gc", "signal", "urllib", "http", "requests",
        "webbrowser", "code", "pdb", "timeit", "dill", "cloudpickle", "joblib", "yaml", "torch", "numpy",
        "pandas", "glob", "zipfile", "tarfile", "weakref", "atexit", "shelve", "ssl", "ftplib", "smtplib",
    }
)  # fmt: skip

# Words (snake_case parts of a name, camelCase split) that name loaders, runners, file writers and
# network calls. A global that is not allowlisted and whose name holds one is rated critical even
# when its module is unknown: torch.load, pandas.read_pickle, AutoModel.from_pretrained, mypkg.run_cmd.
DANGEROUS_NAME_WORDS: Final = frozenset(
    (  # noqa: SIM905 - a word list reads better as data
        "system popen popen2 popen3 popen4 spawn spawnl spawnle spawnlp spawnv spawnve spawnvp spawnvpe "
        "posix_spawn posix_spawnp exec execl execle execlp execv execve execvp execvpe execute eval evaluate "
        "fork forkpty startfile getoutput getstatusoutput check_output check_call run runs runcode runsource "
        "runstring runctx runcall runeval run_path run_module interact breakpoint shell cmd command "
        "subprocess import imports importer import_module reload load loads loadtxt load_library loadlibrary "
        "unpickler pickle pickles dill marshal pretrained urlopen urlretrieve open opener write writes "
        "writelines save dump dumps tofile fromfile genfromtxt remove unlink rmtree rmdir removedirs chmod "
        "chown symlink link rename kill killpg abort exit quit compile setattr getattr delattr globals locals "
        "dlopen cdll windll oledll dll library install download fetch connect listen bind send sendall "
        "request requests socket pipe query read readfile readlines"
    ).split()
)

# Dunder names a loader may legitimately resolve; any other dunder component is dangerous,
# because attributes such as __builtins__, __globals__ or __subclasses__ reach the interpreter.
ALLOWED_DUNDERS: Final = frozenset(
    {"__newobj__", "__newobj_ex__", "__main__", "__bit_generator_ctor", "__generator_ctor", "__randomstate_ctor"}
)
DUNDER: Final = re.compile(r"^__\w+__$")
PYX_UNPICKLE: Final = re.compile(r"^__pyx_unpickle_[A-Za-z0-9_]+$")
