// The operations of the model test (model_runner.h), each with what it must leave behind.
#include <string>

#include "model_runner.h"

namespace podalloc_model {
namespace {

using nlohmann::json;

std::string Owned(podalloc_buffer* b) {
  std::string text = b->data == nullptr ? std::string() : std::string(b->data, b->size);
  podalloc_buffer_free(b);
  return text;
}

std::string Save(const podalloc_node* node, int32_t kind) {
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  if (podalloc_node_checkpoint_save(&out, node, kind, nullptr) != PODALLOC_OK) return "";
  return Owned(&out);
}

// The state text after the "version" member.
std::string Body(const std::string& state) {
  const size_t comma = state.find(',');
  return comma == std::string::npos ? state : state.substr(comma);
}

// The state without the pods' container lists (what repro item 8 changes).
std::string WithoutContainerLists(const std::string& state) {
  json doc = json::parse(state, nullptr, false);
  if (doc.is_discarded()) return state;
  doc.erase("version");
  for (json& pod : doc["pods"]) pod.erase("containers");
  return doc.dump();
}

}  // namespace

bool Runner::OpAdmit(bool commit) {
  const std::string op = commit ? "admit then commit" : "admit (plan only)";
  ModelPod pod = RandomPod(rng_, scenario_, ++serial_);
  const std::string text = pod.doc.dump();
  const Snapshot before = Take();
  podalloc_decision* decision = nullptr;
  const podalloc_status s =
      podalloc_node_admit(&decision, node_, text.data(), text.size(), nullptr);
  if (s != PODALLOC_OK) {
    ++counts_[std::string("admit:") + podalloc_status_name(s)];
    return Unchanged(before, op + " of " + text);
  }
  const bool admitted = podalloc_decision_admitted(decision) == 1;
  ++counts_[admitted ? "admit:admitted" : "admit:refused"];
  if (!Unchanged(before, op + " (planning changed the node) of " + text)) {
    podalloc_decision_destroy(decision);
    return false;
  }
  if (!commit) {
    podalloc_decision_destroy(decision);
    return true;
  }
  const podalloc_status c = podalloc_node_commit(node_, decision, nullptr);
  podalloc_decision_destroy(decision);
  if (c != PODALLOC_OK)
    return Fail(op, std::string("commit failed: ") + podalloc_last_error_message());
  if (!admitted) return Unchanged(before, op + " (a refused pod was committed) of " + text);
  if (podalloc_node_version(node_) <= before.version)
    return Fail(op, "the commit kept the version");
  pods_[pod.uid] = pod;
  return CheckInvariants(op + " of " + text);
}

bool Runner::OpAdmitAndCommit() {
  const std::string op = "admit-and-commit";
  ModelPod pod = RandomPod(rng_, scenario_, ++serial_);
  const std::string text = pod.doc.dump();
  const Snapshot before = Take();
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  const podalloc_status s =
      podalloc_node_admit_and_commit(&out, node_, text.data(), text.size(), nullptr);
  const std::string decision = Owned(&out);
  if (s != PODALLOC_OK) {
    ++counts_[std::string("admit-and-commit:") + podalloc_status_name(s)];
    return Unchanged(before, op + " of " + text);
  }
  const json parsed = json::parse(decision, nullptr, false);
  if (parsed.is_discarded()) return Fail(op, "the decision is not JSON");
  if (!parsed.value("admitted", false)) {
    ++counts_["admit-and-commit:refused"];
    return Unchanged(before, op + " (refused) of " + text);
  }
  ++counts_["admit-and-commit:admitted"];
  pods_[pod.uid] = pod;
  return CheckInvariants(op + " of " + text);
}

bool Runner::OpStaleCommit() {
  const std::string op = "stale commit";
  ModelPod first = RandomPod(rng_, scenario_, ++serial_);
  const std::string text = first.doc.dump();
  podalloc_decision* decision = nullptr;
  if (podalloc_node_admit(&decision, node_, text.data(), text.size(), nullptr) != PODALLOC_OK) {
    return true;
  }
  const uint64_t planned_at = podalloc_node_version(node_);
  const bool admitted = podalloc_decision_admitted(decision) == 1;
  if (!OpAdmitAndCommit()) {
    podalloc_decision_destroy(decision);
    return false;
  }
  const Snapshot before = Take();
  const podalloc_status s = podalloc_node_commit(node_, decision, nullptr);
  podalloc_decision_destroy(decision);
  if (before.version != planned_at) {
    ++counts_["stale-commit:refused"];
    if (s != PODALLOC_FAILED_PRECONDITION)
      return Fail(op, "a decision of an older state was committed");
    return Unchanged(before, op);
  }
  // Nothing changed in between: the decision is still good.
  if (s != PODALLOC_OK)
    return Fail(op, std::string("commit failed: ") + podalloc_last_error_message());
  ++counts_["stale-commit:fresh"];
  if (!admitted) return Unchanged(before, op + " (refused)");
  pods_[first.uid] = first;
  return CheckInvariants(op);
}

bool Runner::OpRemoveContainer() {
  ModelPod* pod = PickPod();
  if (pod == nullptr) return true;
  std::vector<std::string> live;
  for (const std::string& c : pod->containers) {
    if (!pod->removed.contains(c)) live.push_back(c);
  }
  if (live.empty()) return true;
  const std::string name = live[rng_.Below(live.size())];
  const std::string op = "remove container " + pod->uid + "/" + name;
  const Snapshot before = Take();
  const podalloc_status s = podalloc_node_remove_container(node_, pod->uid.data(), pod->uid.size(),
                                                           name.data(), name.size(), nullptr);
  ++counts_[std::string("remove-container:") + podalloc_status_name(s)];
  if (s != PODALLOC_OK) {
    const std::string message = podalloc_last_error_message();
    if (!Unchanged(before, op)) return false;
    return Fail(op, "refused: " + message);
  }
  pod->removed.insert(name);
  // The pod stays listed while the node still knows it.
  const std::string state = Take().text;
  if (state.find("\"uid\":\"" + pod->uid + "\"") == std::string::npos) pods_.erase(pod->uid);
  return CheckInvariants(op);
}

bool Runner::OpRemovePod() {
  ModelPod* pod = PickPod();
  const std::string uid = pod == nullptr ? "pod-unknown" : pod->uid;
  const std::string op = "remove pod " + uid;
  const Snapshot before = Take();
  const podalloc_status s = podalloc_node_remove_pod(node_, uid.data(), uid.size(), nullptr);
  ++counts_[std::string("remove-pod:") + podalloc_status_name(s)];
  if (pod == nullptr) {
    if (s != PODALLOC_NOT_FOUND) return Fail(op, "an unknown pod was removed");
    return Unchanged(before, op);
  }
  if (s != PODALLOC_OK) return Fail(op, std::string("refused: ") + podalloc_last_error_message());
  pods_.erase(uid);
  return CheckInvariants(op);
}

bool Runner::OpResize() {
  ModelPod* pod = PickPod();
  if (pod == nullptr) return true;
  const json desired = ResizedPod(rng_, *pod);
  const std::string text = desired.dump();
  const std::string op = "resize " + pod->uid + " to " + text;
  for (uint32_t flags : {uint32_t{PODALLOC_RESIZE_CHECK_ONLY}, 0u}) {
    podalloc_resize_options options = PODALLOC_RESIZE_OPTIONS_INIT;
    options.flags = flags;
    const Snapshot before = Take();
    podalloc_buffer out = PODALLOC_BUFFER_INIT;
    const podalloc_status s =
        podalloc_node_resize(&out, node_, text.data(), text.size(), &options, nullptr);
    const json decision = json::parse(Owned(&out), nullptr, false);
    const bool applied =
        s == PODALLOC_OK && !decision.is_discarded() && decision.value("applied", false);
    if (flags == 0) {
      ++counts_[std::string("resize:") + (s != PODALLOC_OK ? podalloc_status_name(s)
                                          : applied        ? "applied"
                                          : decision.value("reason", "") != ""
                                              ? decision.value("reason", "")
                                              : "not-applied")];
    }
    if (s == PODALLOC_OK && decision.is_discarded()) return Fail(op, "the decision is not JSON");
    if (!applied) {
      if (!Unchanged(before, op)) return false;
      continue;
    }
    if (flags != 0) return Fail(op, "a preview was applied");
    if (podalloc_node_version(node_) <= before.version)
      return Fail(op, "an applied resize kept the version");
    pod->doc = desired;
    return CheckInvariants(op);
  }
  return true;
}

bool Runner::OpSaveRestore() {
  const std::string op = "checkpoint save and restore into a fresh node";
  const std::string cpu = Save(node_, PODALLOC_CHECKPOINT_CPU_MANAGER);
  const std::string memory = Save(node_, PODALLOC_CHECKPOINT_MEMORY_MANAGER);
  if (cpu.empty() || memory.empty()) return Fail(op, "saving failed");
  podalloc_node* fresh = nullptr;
  if (podalloc_node_create(&fresh, scenario_.machine->topology, scenario_.config.data(),
                           scenario_.config.size(), nullptr) != PODALLOC_OK) {
    return Fail(op, "the configuration no longer creates a node");
  }
  const std::string pods = PodsJson();
  const podalloc_status s =
      podalloc_node_checkpoint_restore(fresh, cpu.data(), cpu.size(), memory.data(), memory.size(),
                                       pods.data(), pods.size(), nullptr);
  const std::string message = podalloc_last_error_message();
  const std::string original = Take().text;
  if (s != PODALLOC_OK) {
    podalloc_node_destroy(fresh);
    ++counts_["restore:failed"];
    if (scenario_.facts.strict_reservation &&
        message.find("cannot be empty") != std::string::npos) {
      Known(7, "a node cannot restore its own checkpoint: " + message);
      return true;
    }
    return Fail(op, "a node cannot restore its own checkpoint: " + message);
  }
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  podalloc_node_state(&out, fresh, nullptr);
  const std::string restored = Owned(&out);
  if (Body(restored) != Body(original)) {
    ++counts_["restore:different"];
    if (WithoutContainerLists(restored) != WithoutContainerLists(original)) {
      podalloc_node_destroy(fresh);
      return Fail(op, "restore(save(state)) differs: " + restored);
    }
    // Only the removed containers are listed again (they hold nothing): go on with the
    // restored node all the same, so later operations run on restored state.
    Known(8, "restore brings removed containers back into the pod's container list");
    for (auto& [uid, pod] : pods_) pod.removed.clear();
  } else {
    ++counts_["restore:same"];
  }
  // Go on with the restored node.
  podalloc_node_destroy(node_);
  node_ = fresh;
  return CheckInvariants(op);
}

bool Runner::OpFault() {
  const Snapshot before = Take();
  std::string op;
  podalloc_status s = PODALLOC_OK;
  podalloc_status want = PODALLOC_OK;
  ModelPod* pod = PickPod();
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  switch (rng_.Below(4)) {
    case 0: {  // an admitted UID again
      if (pod == nullptr) return true;
      op = "admit an admitted UID";
      const std::string text = pod->doc.dump();
      s = podalloc_node_admit_and_commit(&out, node_, text.data(), text.size(), nullptr);
      want = PODALLOC_ALREADY_EXISTS;
      break;
    }
    case 1: {  // malformed pods
      op = "admit a malformed pod";
      const std::string text = rng_.Chance(50)
                                   ? R"({"spec":{"containers":7}})"
                                   : RandomPod(rng_, scenario_, ++serial_).doc.dump().substr(0, 40);
      s = podalloc_node_admit_and_commit(&out, node_, text.data(), text.size(), nullptr);
      want = PODALLOC_INVALID_ARGUMENT;
      break;
    }
    case 2: {  // a checkpoint whose checksum does not match
      op = "restore a corrupted checkpoint";
      std::string cpu = Save(node_, PODALLOC_CHECKPOINT_CPU_MANAGER);
      const size_t at = cpu.find("\"dataChecksum\":");
      if (at == std::string::npos) return Fail(op, "no dataChecksum in " + cpu);
      char& digit = cpu[at + 15];
      digit = digit == '1' ? '2' : '1';
      const std::string pods = PodsJson();
      s = podalloc_node_checkpoint_restore(node_, cpu.data(), cpu.size(), nullptr, 0, pods.data(),
                                           pods.size(), nullptr);
      want = PODALLOC_DATA_LOSS;
      break;
    }
    default: {  // an unknown container of a known pod
      if (pod == nullptr) return true;
      op = "remove an unknown container";
      s = podalloc_node_remove_container(node_, pod->uid.data(), pod->uid.size(), "nope", 4,
                                         nullptr);
      want = PODALLOC_NOT_FOUND;
      break;
    }
  }
  podalloc_buffer_free(&out);
  ++counts_["fault:" + std::string(podalloc_status_name(s))];
  if (s != want) {
    return Fail(op, std::string("returned ") + podalloc_status_name(s) + ", expected " +
                        podalloc_status_name(want) + ": " + podalloc_last_error_message());
  }
  return Unchanged(before, op);
}

// Restores the node's own checkpoints into a fresh node with one pod, or one container of a
// pod, left out of the pod list. When the left-out part holds CPUs or memory, the restore
// must be refused (repro item 6 when it is not); otherwise it must succeed.
bool Runner::OpRestoreWithout() {
  ModelPod* pod = PickPod();
  if (pod == nullptr) return true;
  bool whole_pod = rng_.Chance(50);
  std::string container = pod->containers[rng_.Below(pod->containers.size())];
  // A pod needs an app container: leaving out its only one leaves out the pod.
  const size_t apps = pod->containers.size() - pod->init_names.size();
  if (apps == 1 && !pod->init_names.contains(container)) whole_pod = true;
  if (whole_pod) container.clear();
  const std::string op = "restore without " + pod->uid + (whole_pod ? "" : "/" + container);
  const std::string cpu = Save(node_, PODALLOC_CHECKPOINT_CPU_MANAGER);
  const std::string memory = Save(node_, PODALLOC_CHECKPOINT_MEMORY_MANAGER);
  podalloc_node* fresh = nullptr;
  if (podalloc_node_create(&fresh, scenario_.machine->topology, scenario_.config.data(),
                           scenario_.config.size(), nullptr) != PODALLOC_OK) {
    return Fail(op, "the configuration no longer creates a node");
  }
  podalloc_buffer out = PODALLOC_BUFFER_INIT;
  podalloc_node_state(&out, fresh, nullptr);
  const std::string empty = Owned(&out);
  const uint64_t empty_version = podalloc_node_version(fresh);
  // Whether the left-out part holds anything in the managers' state.
  const json state = json::parse(Take().text);
  bool holds = false;
  for (const char* manager : {"cpu_manager", "memory_manager"}) {
    const json& m = state[manager];
    if (whole_pod && m.contains("podEntries") && m["podEntries"].contains(pod->uid)) holds = true;
    if (m.contains("entries") && m["entries"].contains(pod->uid)) {
      holds = holds || whole_pod || m["entries"][pod->uid].contains(container);
    }
  }
  const std::string pods = PodsJson(pod->uid, whole_pod ? "" : container);
  const podalloc_status s =
      podalloc_node_checkpoint_restore(fresh, cpu.data(), cpu.size(), memory.data(), memory.size(),
                                       pods.data(), pods.size(), nullptr);
  const std::string message = podalloc_last_error_message();
  podalloc_node_state(&out, fresh, nullptr);
  const std::string after = Owned(&out);
  const uint64_t after_version = podalloc_node_version(fresh);
  podalloc_node_destroy(fresh);
  ++counts_[std::string("restore-without:") + (holds ? "holding:" : "idle:") +
            podalloc_status_name(s)];
  if (s != PODALLOC_OK) {
    if (after != empty || after_version != empty_version)
      return Fail(op, "a refused restore changed the node");
    if (scenario_.facts.strict_reservation &&
        message.find("cannot be empty") != std::string::npos) {
      Known(7, "a node cannot restore its own checkpoint: " + message);
      return true;
    }
    if (!holds) return Fail(op, "refused although the left-out part holds nothing: " + message);
    return true;
  }
  if (holds) {
    Known(6, op + ": restore accepted manager entries of a pod or container it was not given");
  }
  return true;
}

}  // namespace podalloc_model
