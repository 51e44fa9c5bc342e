#include "train/distributed.h"

#include <unistd.h>

#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <torch/version.h>

#include "util/error.h"

#if RS_HAVE_C10D
#include <ATen/ops/cat.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/zeros_like.h>
#include <ATen/ops/tensor.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if RS_HAVE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

namespace rs::train {

#if RS_HAVE_C10D

namespace {

std::string host_key(int64_t rank) { return fmt::format("host/{}", rank); }
std::string failed_key(int64_t rank) { return fmt::format("failed/{}", rank); }

std::vector<uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

std::vector<uint8_t> host_name() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);  // "" when the system does not say
  return bytes_of(name);
}

c10::intrusive_ptr<c10d::Backend> gloo(const c10::intrusive_ptr<c10d::Store>& store, const Rendezvous& where) {
  auto options = c10d::ProcessGroupGloo::Options::create(kCollectiveTimeout);
  // Gloo's own variable, as torch.distributed reads it: which network interface to use.
  const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
  options->devices.push_back(interface != nullptr && *interface != '\0'
                                 ? c10d::ProcessGroupGloo::createDeviceForInterface(interface)
                                 : c10d::ProcessGroupGloo::createDefaultDevice());
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, static_cast<int>(where.rank),
                                                     static_cast<int>(where.world_size), options);
}

c10::intrusive_ptr<c10d::Backend> nccl(const c10::intrusive_ptr<c10d::Store>& store, const Rendezvous& where) {
#if RS_HAVE_C10D_NCCL
  auto options = c10d::ProcessGroupNCCL::Options::create();
  options->timeout = kCollectiveTimeout;
  return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, static_cast<int>(where.rank),
                                                     static_cast<int>(where.world_size), options);
#else
  (void)store;
  (void)where;
  throw InputError("world_size: training on CUDA with several ranks needs NCCL, and this trainer was built "
                   "without c10d's NCCL backend");
#endif
}

// NCCL reads its variables when its first communicator is made, at the first collective.
std::vector<std::pair<std::string, std::string>> pin_nccl(bool deterministic) {
  std::vector<std::pair<std::string, std::string>> settings;
  for (const auto& [name, pinned] : {std::pair{"NCCL_ALGO", "Ring"}, std::pair{"NCCL_PROTO", "Simple"}}) {
    if (deterministic) setenv(name, pinned, /*overwrite=*/0);
    const char* value = std::getenv(name);
    settings.emplace_back(name, value != nullptr ? value : "(unset)");
  }
#if RS_HAVE_C10D_NCCL
  settings.emplace_back("nccl_version", fmt::format("{}.{}.{}", NCCL_MAJOR, NCCL_MINOR, NCCL_PATCH));
#endif
  return settings;
}

}  // namespace

struct Ranks::State {
  Rendezvous where;
  std::string backend;
  std::vector<std::pair<std::string, std::string>> settings;
  c10::Device device = c10::Device(c10::kCPU);
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::Backend> group;
  std::vector<std::string> hosts;
  double sum_seconds = 0;

  // Runs a collective; when it fails, says which ranks did not answer (distributed.h).
  template <class Collective>
  void run(const char* what, Collective collective) {
    try {
      collective();
    } catch (const c10::Error& e) {
      fail(what, e.what_without_backtrace());
    } catch (const std::exception& e) {
      fail(what, e.what());
    }
  }

  [[noreturn]] void fail(const char* what, const std::string& why) {
    throw std::runtime_error(
        fmt::format("rank {}: {} with the other ranks failed ({}): {}", where.rank, what, missing_ranks(), why));
  }

  std::string missing_ranks() {
    try {
      store->set(failed_key(where.rank), bytes_of("1"));
      std::this_thread::sleep_for(kReportWait);
      std::string missing;
      for (int64_t r = 0; r < where.world_size; ++r)
        if (!store->check({failed_key(r)})) missing += fmt::format("{}{}", missing.empty() ? "" : ", ", r);
      return missing.empty() ? "every rank saw it fail" : "rank " + missing + " did not answer: dead or hung";
    } catch (const std::exception&) {
      return "rank 0, which serves the rendezvous, did not answer: dead or hung";
    }
  }
};

std::unique_ptr<Ranks> Ranks::join(const Rendezvous& where, const c10::Device& device, bool deterministic) {
  auto state = std::make_unique<State>();
  state->where = where;
  state->device = device;
  state->backend = device.is_cuda() ? "nccl" : "gloo";
  if (device.is_cuda()) state->settings = pin_nccl(deterministic);
  c10d::TCPStoreOptions options;
  options.port = static_cast<uint16_t>(where.port);
  options.isServer = where.rank == 0;
  options.numWorkers = static_cast<size_t>(where.world_size);
  options.timeout = kJoinTimeout;
  try {
    state->store = c10::make_intrusive<c10d::TCPStore>(where.host, options);
    state->group = device.is_cuda() ? nccl(state->store, where) : gloo(state->store, where);
    state->store->set(host_key(where.rank), host_name());
    for (int64_t r = 0; r < where.world_size; ++r) {
      const std::vector<uint8_t> host = state->store->get(host_key(r));
      state->hosts.emplace_back(host.begin(), host.end());
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("rank {} of {}: cannot join the others at {}:{}: {}", where.rank,
                                         where.world_size, where.host, where.port, e.what()));
  }
  return std::unique_ptr<Ranks>(new Ranks(std::move(state)));
}

void Ranks::sum(const std::vector<at::Tensor>& tensors) {
  const auto start = std::chrono::steady_clock::now();
  for (size_t begin = 0; begin < tensors.size();) {
    const int64_t max_numel = kBucketBytes / static_cast<int64_t>(tensors[begin].element_size());
    std::vector<at::Tensor> parts = {tensors[begin].reshape(-1)};
    int64_t numel = tensors[begin].numel();
    size_t end = begin + 1;
    for (; end < tensors.size() && tensors[end].scalar_type() == tensors[begin].scalar_type() &&
           numel + tensors[end].numel() <= max_numel;
         ++end) {
      parts.push_back(tensors[end].reshape(-1));
      numel += tensors[end].numel();
    }
    std::vector<at::Tensor> flat = {at::cat(parts)};
    state_->run("summing", [&] { state_->group->allreduce(flat)->wait(); });
    int64_t offset = 0;
    for (size_t i = begin; i < end; ++i) {
      tensors[i].copy_(flat[0].narrow(0, offset, tensors[i].numel()).view(tensors[i].sizes()));
      offset += tensors[i].numel();
    }
    begin = end;
  }
  state_->sum_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct GradientSum::State {
  struct Slot {  // one parameter's place in its bucket
    at::Tensor parameter;
    size_t bucket = 0;
    int64_t offset = 0;
    bool arrived = false;  // its gradient is in, this step
  };
  struct Bucket {
    std::vector<at::Tensor> flat;  // one tensor, as c10d takes them
    int64_t waiting = 0;           // gradients still to come, this step
    c10::intrusive_ptr<c10d::Work> work;
  };
  Ranks::State* ranks = nullptr;
  std::vector<Slot> slots;  // in the buckets' order: the parameters reversed
  std::vector<Bucket> buckets;
  std::vector<std::pair<size_t, unsigned>> hooks;  // (slot, handle) of each one that needs a gradient
  at::Tensor loss, hits;  // start()'s, for finish()
  int64_t tail = 0;       // loss and hits: the last bucket's last two elements
  size_t started = 0;     // buckets started this step, in order
  std::string failure;    // a start that threw in a hook, for finish() to report

  // A hook: the gradient, before backward accumulates it into .grad, which zero_grad() cleared.
  void arrive(size_t s, const at::Tensor& grad) {
    Slot& slot = slots[s];
    if (slot.arrived || !grad.defined()) return;
    bucket_view(slot).copy_(grad);
    slot.arrived = true;
    --buckets[slot.bucket].waiting;
    start_ready();
  }

  at::Tensor bucket_view(const Slot& slot) {
    const at::Tensor& flat = buckets[slot.bucket].flat[0];
    return flat.narrow(0, slot.offset, slot.parameter.numel()).view(slot.parameter.sizes());
  }

  // Starts the buckets that are full, in order: a later one waits for the ones before it.
  void start_ready() {
    for (; started < buckets.size() && buckets[started].waiting == 0 && failure.empty(); ++started) {
      try {
        buckets[started].work = ranks->group->allreduce(buckets[started].flat);
      } catch (const std::exception& e) {
        failure = e.what();
      }
    }
  }
};

GradientSum::GradientSum(Ranks& ranks, const std::vector<at::Tensor>& parameters)
    : state_(std::make_unique<State>()) {
  State& state = *state_;
  state.ranks = ranks.state_.get();
  // The buckets' sizes and types, filled in reverse parameter order; loss and hits go last.
  std::vector<std::pair<int64_t, at::ScalarType>> sizes;
  auto place = [&](int64_t numel, at::ScalarType type) {
    const int64_t max_numel = kBucketBytes / static_cast<int64_t>(c10::elementSize(type));
    if (sizes.empty() || sizes.back().second != type || sizes.back().first + numel > max_numel)
      sizes.emplace_back(0, type);
    const int64_t offset = sizes.back().first;
    sizes.back().first += numel;
    return std::pair{sizes.size() - 1, offset};
  };
  for (auto p = parameters.rbegin(); p != parameters.rend(); ++p) {
    const auto [bucket, offset] = place(p->numel(), p->scalar_type());
    state.slots.push_back({*p, bucket, offset});
  }
  const at::ScalarType sums_type = parameters.empty() ? at::kFloat : parameters.front().scalar_type();
  state.tail = place(2, sums_type).second;
  for (const auto& [numel, type] : sizes)
    state.buckets.push_back({{at::zeros({numel}, at::TensorOptions(state.ranks->device).dtype(type))}, 0, {}});
  for (size_t s = 0; s < state.slots.size(); ++s) {
    at::Tensor& parameter = state.slots[s].parameter;
    if (!parameter.requires_grad()) continue;  // adds the bucket's zeros
    State* hooked = state_.get();              // the hooks go before it does (~GradientSum)
    state.hooks.emplace_back(
        s, parameter.register_hook([hooked, s](const at::Tensor& grad) { hooked->arrive(s, grad); }));
  }
}

GradientSum::~GradientSum() {
  for (const auto& [s, hook] : state_->hooks) state_->slots[s].parameter.remove_hook(hook);
}

void GradientSum::start(const at::Tensor& loss, const at::Tensor& hits) {
  State& state = *state_;
  for (State::Slot& slot : state.slots) slot.arrived = false;
  for (State::Bucket& bucket : state.buckets) bucket.waiting = 0;
  for (const auto& [s, hook] : state.hooks) ++state.buckets[state.slots[s].bucket].waiting;
  state.started = 0;
  state.failure.clear();
  state.loss = loss;
  state.hits = hits;
  at::Tensor& last = state.buckets.back().flat[0];
  last.narrow(0, state.tail, 1).copy_(loss.reshape(-1));
  last.narrow(0, state.tail + 1, 1).copy_(hits.reshape(-1));
  state.start_ready();  // buckets of parameters that need no gradient
}

void GradientSum::finish() {
  const auto begin = std::chrono::steady_clock::now();
  State& state = *state_;
  for (State::Slot& slot : state.slots) {
    if (slot.arrived || slot.bucket < state.started) continue;
    state.bucket_view(slot).zero_();  // no gradient this step: it adds zeros
    state.buckets[slot.bucket].waiting = 0;
  }
  state.start_ready();
  state.ranks->run("summing", [&] {
    if (!state.failure.empty()) throw std::runtime_error(state.failure);
    for (State::Bucket& bucket : state.buckets) bucket.work->wait();
  });
  for (State::Slot& slot : state.slots) {
    if (!slot.parameter.grad().defined()) slot.parameter.mutable_grad() = at::zeros_like(slot.parameter);
    slot.parameter.mutable_grad().copy_(state.bucket_view(slot));
  }
  const at::Tensor& last = state.buckets.back().flat[0];
  state.loss.copy_(last.narrow(0, state.tail, 1).reshape(state.loss.sizes()));
  state.hits.copy_(last.narrow(0, state.tail + 1, 1).reshape(state.hits.sizes()));
  state.ranks->sum_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

bool Ranks::any(bool flag) {
  std::vector<at::Tensor> value = {at::tensor({flag ? 1 : 0}, at::TensorOptions(state_->device).dtype(at::kInt))};
  c10d::AllreduceOptions options;
  options.reduceOp = c10d::ReduceOp::MAX;
  state_->run("agreeing on a stop", [&] { state_->group->allreduce(value, options)->wait(); });
  return value[0].item<int>() != 0;
}

std::vector<std::vector<double>> Ranks::gather(const std::vector<double>& values) {
  std::vector<at::Tensor> mine = {at::tensor(values, at::TensorOptions(state_->device).dtype(at::kDouble))};
  std::vector<std::vector<at::Tensor>> all(1);
  for (int64_t r = 0; r < size(); ++r) all[0].push_back(at::empty_like(mine[0]));
  state_->run("gathering the ranks' figures", [&] { state_->group->allgather(all, mine)->wait(); });
  std::vector<std::vector<double>> by_rank;
  for (const at::Tensor& theirs : all[0]) {
    const at::Tensor on_cpu = theirs.cpu().contiguous();
    by_rank.emplace_back(on_cpu.data_ptr<double>(), on_cpu.data_ptr<double>() + on_cpu.numel());
  }
  return by_rank;
}

#else  // no c10d in this build

struct Ranks::State {
  Rendezvous where;
  std::string backend;
  std::vector<std::pair<std::string, std::string>> settings;
  std::vector<std::string> hosts;
  double sum_seconds = 0;
};

std::unique_ptr<Ranks> Ranks::join(const Rendezvous& where, const c10::Device&, bool) {
  throw InputError(fmt::format("world_size: {} ranks need distributed training, and this trainer was built "
                               "against LibTorch {} without it (c10d and Gloo's headers: docs/trainer.md)",
                               where.world_size, TORCH_VERSION));
}

// Never reached: join() is the only way to get Ranks.
void Ranks::sum(const std::vector<at::Tensor>&) { throw std::logic_error("Ranks::sum without c10d"); }
bool Ranks::any(bool) { throw std::logic_error("Ranks::any without c10d"); }
std::vector<std::vector<double>> Ranks::gather(const std::vector<double>&) {
  throw std::logic_error("Ranks::gather without c10d");
}

struct GradientSum::State {};
GradientSum::GradientSum(Ranks&, const std::vector<at::Tensor>&) {
  throw std::logic_error("GradientSum without c10d");
}
GradientSum::~GradientSum() = default;
void GradientSum::start(const at::Tensor&, const at::Tensor&) {
  throw std::logic_error("GradientSum without c10d");
}
void GradientSum::finish() { throw std::logic_error("GradientSum without c10d"); }

#endif

double sum_over_ranks(const std::vector<double>& by_rank) {
  double sum = by_rank.empty() ? 0.0 : by_rank[0];
  for (size_t r = 1; r < by_rank.size(); ++r) sum += by_rank[r];
  return sum;
}

std::vector<std::vector<double>> gather(Ranks* ranks, const std::vector<double>& values) {
  return ranks != nullptr ? ranks->gather(values) : std::vector<std::vector<double>>{values};
}

Ranks::Ranks(std::unique_ptr<State> state) : state_(std::move(state)) {}
Ranks::~Ranks() = default;

int64_t Ranks::rank() const { return state_->where.rank; }
int64_t Ranks::size() const { return state_->where.world_size; }
const std::string& Ranks::backend() const { return state_->backend; }
const std::vector<std::string>& Ranks::hosts() const { return state_->hosts; }
const std::vector<std::pair<std::string, std::string>>& Ranks::settings() const { return state_->settings; }
double Ranks::sum_seconds() const { return state_->sum_seconds; }

}  // namespace rs::train
