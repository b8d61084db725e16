// File: podalloc/rw_mutex.h
// A reader/writer lock over pthread_rwlock_t carrying abseil's thread-safety annotations, so a
// class can guard its fields with ABSL_GUARDED_BY(mu_) as with absl::Mutex. It exists for
// ThreadSanitizer: distributions ship abseil uninstrumented, and TSan cannot see the
// happens-before edges inside an uninstrumented absl::Mutex, while it intercepts
// pthread_rwlock_* in any build. Internal to podalloc: no API promise.
//
// On glibc the lock prefers writers: once a writer waits, new readers queue behind it, so a
// steady stream of readers (Node::Admit, State) cannot starve Commit and Remove. Like
// absl::Mutex it is not reentrant: a thread holding it must not lock it again in any mode.
#pragma once

#include <pthread.h>

#include <cstdlib>

#include "absl/base/thread_annotations.h"

namespace podalloc::internal {

class ABSL_LOCKABLE RwMutex {
 public:
  RwMutex() {
    pthread_rwlockattr_t attr;
    Check(pthread_rwlockattr_init(&attr));
#if defined(__GLIBC__)
    Check(pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP));
#endif
    Check(pthread_rwlock_init(&rw_, &attr));
    Check(pthread_rwlockattr_destroy(&attr));
  }
  ~RwMutex() { pthread_rwlock_destroy(&rw_); }
  RwMutex(const RwMutex&) = delete;
  RwMutex& operator=(const RwMutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { Check(pthread_rwlock_wrlock(&rw_)); }
  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION() { Check(pthread_rwlock_rdlock(&rw_)); }
  // Releases either mode (pthread_rwlock_unlock knows which one the caller holds).
  void Unlock() ABSL_UNLOCK_FUNCTION() { Check(pthread_rwlock_unlock(&rw_)); }
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION() { Check(pthread_rwlock_unlock(&rw_)); }
  // false when another thread holds the lock (in any mode, for TryLock; exclusively or with a
  // writer waiting, for ReaderTryLock).
  bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    return pthread_rwlock_trywrlock(&rw_) == 0;
  }
  bool ReaderTryLock() ABSL_SHARED_TRYLOCK_FUNCTION(true) {
    return pthread_rwlock_tryrdlock(&rw_) == 0;
  }

 private:
  // The pthread calls fail only on misuse (relocking, unlocking a lock not held, a destroyed
  // lock) or reader-count overflow; continuing would break the guarded invariants.
  static void Check(int rc) {
    if (rc != 0) std::abort();
  }

  pthread_rwlock_t rw_;
};

// Holds the lock exclusively for the scope, like absl::MutexLock.
class ABSL_SCOPED_LOCKABLE RwWriterLock {
 public:
  explicit RwWriterLock(RwMutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~RwWriterLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  RwWriterLock(const RwWriterLock&) = delete;
  RwWriterLock& operator=(const RwWriterLock&) = delete;

 private:
  RwMutex* const mu_;
};

// Holds the lock shared for the scope, like absl::ReaderMutexLock.
class ABSL_SCOPED_LOCKABLE RwReaderLock {
 public:
  explicit RwReaderLock(RwMutex* mu) ABSL_SHARED_LOCK_FUNCTION(mu) : mu_(mu) { mu_->ReaderLock(); }
  ~RwReaderLock() ABSL_UNLOCK_FUNCTION() { mu_->ReaderUnlock(); }
  RwReaderLock(const RwReaderLock&) = delete;
  RwReaderLock& operator=(const RwReaderLock&) = delete;

 private:
  RwMutex* const mu_;
};

}  // namespace podalloc::internal
