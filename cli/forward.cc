// rgs's side of forwarding (cli/forward.h). When rgsd serves the store a command names, the
// command runs in rgsd on its open store (DESIGN §6: rgsd's control socket): rgs then starts no
// SQLite, reads no schema and rebuilds no WAL index, and a write syncs once on rgsd's connection.
// Only cmdlets of kForwarded are sent, never with a file or standard input to read, never when a
// question may be asked on a terminal, never with -o table (its width is rgs's terminal's), and
// never with --pool (which may create a store). rgsd declines what it will not run (another
// store, a user who may not write it), and the command runs here as it would without rgsd. rgsd
// not listening (no socket, or connection refused) is the same.
//
// A forwarded command is all of rgs's work but a few system calls, and starting the C and C++
// libraries and rgs's own static objects would cost more than the rest of the command (on a VM,
// get-agentgroup NAME through rgsd: 4.2 ms with them, 2.1 ms without). So a static rgs starts at
// rgs_entry below, which tries to forward the command before the C library's _start runs, and
// goes on to _start when the command is to run here. The code of this file therefore calls no
// function of any library, not even memcpy: it makes its system calls itself, and is compiled
// with -ffreestanding -fno-builtin and without a stack protector (CMakeLists.txt); the test
// unit.forward_is_freestanding checks that its object references no symbol from elsewhere.
#include "cli/forward.h"

#include <asm/ioctls.h>
#include <asm/unistd.h>
#include <fcntl.h>
#include <unistd.h>   // W_OK, and syscall() where the C library runs before Forward
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstddef>

#include "control/paths.h"


namespace rgs::cli {
namespace {

constexpr int kHere = -1;             // the command runs in this process
constexpr int kNoAnswer = 1;          // ExitStatus(Code::kIoError)

long Sys(long n, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0, long f = 0) {
#if defined(__x86_64__)
  long ret;
  register long r10 asm("r10") = d;
  register long r8 asm("r8") = e;
  register long r9 asm("r9") = f;
  asm volatile("syscall"
               : "=a"(ret)
               : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
#else
  long ret = ::syscall(n, a, b, c, d, e, f);
  return ret < 0 ? -errno : ret;
#endif
}

long Arg(const void* p) { return reinterpret_cast<long>(p); }

unsigned long Length(const char* s) {
  unsigned long n = 0;
  while (s[n]) ++n;
  return n;
}

bool Equal(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

bool StartsWith(const char* s, const char* prefix) {
  while (*prefix && *s == *prefix) ++s, ++prefix;
  return !*prefix;
}

const char* Find(const char* s, unsigned long n, const char* what) {
  unsigned long w = Length(what);
  for (unsigned long i = 0; i + w <= n; ++i) {
    unsigned long k = 0;
    while (k < w && s[i + k] == what[k]) ++k;
    if (k == w) return s + i + w;
  }
  return nullptr;
}

// The value of the JSON number after `key` in the answer's header line; `otherwise` without it.
long Number(const char* head, unsigned long n, const char* key, long otherwise) {
  const char* p = Find(head, n, key);
  if (!p) return otherwise;
  bool negative = *p == '-';
  if (negative) ++p;
  long v = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  return negative ? -v : v;
}

const char* Env(char** envp, const char* name) {
  for (; *envp; ++envp) {
    const char* e = *envp;
    const char* k = name;
    while (*k && *e == *k) ++e, ++k;
    if (!*k && *e == '=') return e + 1;
  }
  return nullptr;
}

// "table", in any letter case: -o table fits rgs's terminal, which rgsd does not know.
bool IsTable(const char* s) {
  const char* t = "table";
  while (*t && (*s | 0x20) == *t) ++s, ++t;
  return !*t && !*s;
}

bool IsTerminal(int fd) {
  char termios[64];
  return Sys(__NR_ioctl, fd, TCGETS, Arg(termios)) == 0;
}

// To the socket without SIGPIPE should rgsd be gone (the write fails instead), to a file or pipe
// as write(2) does.
bool WriteAll(int fd, const char* p, unsigned long n, bool socket) {
  while (n > 0) {
    long w = socket ? Sys(__NR_sendto, fd, Arg(p), static_cast<long>(n), MSG_NOSIGNAL, 0, 0)
                    : Sys(__NR_write, fd, Arg(p), static_cast<long>(n));
    if (w == -EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<unsigned long>(w);
  }
  return true;
}

// Buffered writing to a descriptor. No member initialisers: zeroing the buffer would be a call
// to memset.
struct Writer {
  int fd;
  bool socket;
  bool ok;
  unsigned long used;
  char buf[16384];

  void Start(int to, bool is_socket) {
    fd = to;
    socket = is_socket;
    ok = true;
    used = 0;
  }
  void Flush() {
    if (ok && used) ok = WriteAll(fd, buf, used, socket);
    used = 0;
  }
  void Put(char c) {
    if (used == sizeof buf) Flush();
    buf[used++] = c;
  }
  void Put(const char* s) {
    while (*s) Put(*s++);
  }
  // A JSON string. Bytes that are not UTF-8 go as they are: rgsd cannot read the request then,
  // declines it, and the command runs here.
  void Quoted(const char* s) {
    static constexpr char kHex[] = "0123456789abcdef";
    Put('"');
    for (; *s; ++s) {
      unsigned char c = static_cast<unsigned char>(*s);
      if (c == '"' || c == '\\') {
        Put('\\');
        Put(static_cast<char>(c));
      } else if (c < 0x20) {
        Put("\\u00");
        Put(kHex[c >> 4]);
        Put(kHex[c & 15]);
      } else {
        Put(static_cast<char>(c));
      }
    }
    Put('"');
  }
};

// The absolute path of an existing file, symbolic links resolved (realpath(3)), from the name
// the kernel gives its descriptor; false when it does not exist or /proc is not there.
bool ResolvedPath(const char* path, char* out, unsigned long size) {
  long fd = Sys(__NR_openat, AT_FDCWD, Arg(path), O_PATH | O_CLOEXEC);
  if (fd < 0) return false;
  char link[40] = "/proc/self/fd/";
  char digits[20];
  int nd = 0;
  for (long v = fd; nd == 0 || v > 0; v /= 10) digits[nd++] = static_cast<char>('0' + v % 10);
  unsigned long at = Length(link);
  while (nd > 0) link[at++] = digits[--nd];
  link[at] = 0;
  long n = Sys(__NR_readlinkat, AT_FDCWD, Arg(link), Arg(out), static_cast<long>(size - 1));
  Sys(__NR_close, fd);
  if (n <= 0 || static_cast<unsigned long>(n) >= size - 1 || out[0] != '/') return false;
  out[n] = 0;
  return true;
}

// Sends the request; the answer's exit status, or kHere.
int Send(int argc, char** argv, const char* store, const char* socket_path) {
  sockaddr_un addr;
  unsigned long path_length = Length(socket_path);
  if (path_length >= sizeof addr.sun_path) return kHere;
  // No rgsd: one system call (the socket's access check) before the command runs here.
  if (Sys(__NR_faccessat, AT_FDCWD, Arg(socket_path), W_OK, 0) != 0) return kHere;
  char resolved[4097];
  if (!ResolvedPath(store, resolved, sizeof resolved)) return kHere;   // a new store is made here
  addr.sun_family = AF_UNIX;
  for (unsigned long i = 0; i <= path_length; ++i) addr.sun_path[i] = socket_path[i];
  long fd = Sys(__NR_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return kHere;
  if (fd <= 2) {   // standard output or error is closed: the socket must not take its place
    long moved = Sys(__NR_fcntl, fd, F_DUPFD_CLOEXEC, 3);
    Sys(__NR_close, fd);
    if (moved < 0) return kHere;
    fd = moved;
  }
  if (Sys(__NR_connect, fd, Arg(&addr), static_cast<long>(offsetof(sockaddr_un, sun_path) + path_length + 1)) != 0) {
    Sys(__NR_close, fd);
    return kHere;
  }

  Writer request;
  request.Start(static_cast<int>(fd), true);
  request.Put("{\"op\":\"run\",\"store\":");
  request.Quoted(resolved);
  request.Put(",\"args\":[");
  for (int i = 0; i < argc; ++i) {
    if (i) request.Put(',');
    request.Quoted(argv[i]);
  }
  request.Put("]}\n");
  request.Flush();
  if (!request.ok) {   // rgsd has not the whole request: nothing ran
    Sys(__NR_close, fd);
    return kHere;
  }
  Sys(__NR_shutdown, fd, SHUT_WR);

  // The answer: a header line, then the bytes of standard output and standard error it announces
  // ({"err":N,"exit":S,"out":N}), or {"declined":true,...}.
  char buf[65536];
  unsigned long got = 0, eol = 0;
  bool header = false;
  while (!header && got < sizeof buf) {
    long n = Sys(__NR_read, fd, Arg(buf + got), static_cast<long>(sizeof buf - got));
    if (n == -EINTR) continue;
    if (n <= 0) break;
    for (unsigned long i = got; i < got + static_cast<unsigned long>(n) && !header; ++i)
      if (buf[i] == '\n') header = true, eol = i;
    got += static_cast<unsigned long>(n);
  }
  bool has_exit = header && Find(buf, eol, "\"exit\":");
  if (header && (Find(buf, eol, "\"declined\":true") || (!has_exit && Find(buf, eol, "\"ok\":")))) {
    Sys(__NR_close, fd);   // declined, or an rgsd that runs no commands: the command runs here
    return kHere;
  }
  long status = has_exit ? Number(buf, eol, "\"exit\":", kNoAnswer) : kNoAnswer;
  long wanted[2] = {has_exit ? Number(buf, eol, "\"out\":", 0) : 0, has_exit ? Number(buf, eol, "\"err\":", 0) : 0};
  unsigned long from = header ? eol + 1 : got;
  int stream = 0;
  bool written = true;   // standard output took every byte (else exit 1, as rgs alone)
  while (has_exit) {
    while (from < got && stream < 2) {   // hand on what was read
      unsigned long take = got - from;
      if (take > static_cast<unsigned long>(wanted[stream])) take = static_cast<unsigned long>(wanted[stream]);
      if (take && !WriteAll(stream + 1, buf + from, take, false) && stream == 0) written = false;
      from += take;
      wanted[stream] -= static_cast<long>(take);
      if (wanted[stream] == 0) ++stream;
    }
    while (stream < 2 && wanted[stream] == 0) ++stream;
    if (stream == 2) break;
    long n = Sys(__NR_read, fd, Arg(buf), static_cast<long>(sizeof buf));
    if (n == -EINTR) continue;
    if (n <= 0) break;
    from = 0;
    got = static_cast<unsigned long>(n);
  }
  Sys(__NR_close, fd);
  if (!has_exit || stream < 2) {
    // rgsd took the command and did not answer it all: it may or may not have run.
    Writer err;
    err.Start(2, false);
    err.Put("rgs: rgsd (control socket ");
    err.Put(socket_path);
    err.Put(") closed the connection without an answer; the command may or may not have taken effect: see "
            "'rgs get-revision'\n");
    err.Flush();
    return kNoAnswer;
  }
  if (status == 0 && !written) return kNoAnswer;
  return static_cast<int>(status & 255);
}

}  // namespace

int Forward(int argc, char** argv, char** envp) {
  static bool tried;
  if (tried) return kHere;
  tried = true;

  // The cmdlet: the first argument that is no option or option value.
  int at = -1;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    bool takes_value = false;
    for (const char* o : kValueOptions) takes_value = takes_value || Equal(a, o);
    if (takes_value) {
      ++i;
      continue;
    }
    if (Equal(a, "-h") || Equal(a, "--help") || Equal(a, "--version")) return kHere;
    if (a[0] == '-') continue;
    at = i;
    break;
  }
  if (at < 0) return kHere;
  if (!FindForwarded(argv[at])) return kHere;

  const char* store = nullptr;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (Equal(a, "-h") || Equal(a, "--help") || StartsWith(a, "--instance") || StartsWith(a, "--question-file") ||
        StartsWith(a, "--pool"))
      return kHere;
    if (Equal(a, "--store") && i + 1 < argc) store = argv[i + 1];
    else if (StartsWith(a, "--store=")) store = a + 8;
    if (((Equal(a, "-o") || Equal(a, "--output")) && i + 1 < argc && IsTable(argv[i + 1])) ||
        (StartsWith(a, "--output=") && IsTable(a + 9)) || (StartsWith(a, "-o") && IsTable(a + 2)))
      return kHere;
  }
  if (const char* pool = Env(envp, "RGS_POOL"); pool && *pool) return kHere;
  if (IsTerminal(0) && IsTerminal(2)) return kHere;   // may have to ask
  if (!store || !*store) store = Env(envp, "RGS_STORE");
  if (!store || !*store) store = kDefaultStore;
  const char* socket_path = Env(envp, "RGS_CONTROL");
  if (!socket_path || !*socket_path) socket_path = control::kDefaultSocket;
  return Send(argc, argv, store, socket_path);
}

}  // namespace rgs::cli

#if defined(RGS_FORWARD_AT_ENTRY)
// The entry point of a static rgs (ld -e rgs_entry). The kernel starts a program with argc,
// argv and the environment on the stack, and the C library's _start reads them from there: the
// stub keeps the stack pointer (and rdx, which _start passes on as a function to run at exit),
// forwards the command if it can, and otherwise jumps to _start as the kernel left things.
extern "C" void rgs_forward_at_entry(long* stack) {
  int argc = static_cast<int>(stack[0]);
  char** argv = reinterpret_cast<char**>(stack + 1);
  int status = rgs::cli::Forward(argc, argv, argv + argc + 1);
  if (status >= 0) rgs::cli::Sys(__NR_exit_group, status);
}

asm(R"(
  .text
  .globl rgs_entry
  .type rgs_entry, @function
rgs_entry:
  mov %rsp, %r12
  mov %rdx, %r13
  mov %rsp, %rdi
  and $-16, %rsp
  call rgs_forward_at_entry
  mov %r12, %rsp
  mov %r13, %rdx
  xor %ebp, %ebp
  jmp _start
  .size rgs_entry, .-rgs_entry
)");
#endif
