#pragma once
// A value made current on this thread for as long as a scope lives, nesting: how the snapshot
// builder lends its shared attribute names to build::set(), and the early evaluation its read
// attributes to the XPath evaluation, without passing them through every call in between.
namespace relayaudit {

template <typename T> class ThreadScope {
public:
    explicit ThreadScope(T& value) : previous_(current_) { current_ = &value; }
    ~ThreadScope() { current_ = previous_; }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

    // The value of the innermost scope alive on this thread; null outside any.
    static T* active() { return current_; }

private:
    T* previous_;
    static inline thread_local T* current_ = nullptr;
};

} // namespace relayaudit
