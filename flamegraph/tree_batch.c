/* Queued stacks into the nodes, in batches.
 *
 * Adding a stack is two kinds of work: interning its names (the string pool
 * and name index, a few thousand entries) and walking the node table (big,
 * one cache miss per new frame). The caller's thread does the first and fills
 * a batch; a worker thread does the second on the batch before, so parsing
 * and merging run side by side on two CPUs. The batches are processed in
 * the order they were filled, so node ids, and everything drawn from them,
 * are the same as without the worker. The two threads share no data but the
 * handed-over batch, passed under a mutex. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "thread.h"
#include "tree_int.h"

struct fg_worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct fg_batch *todo; /* handed over; NULL once added (worker idle) */
	bool stop;
	int err; /* the first error of the worker, reported by the caller */
};

/* Walks stacks q[0..n) (n <= FG_WALK) down the tree together, one depth at
 * a time: every probe of a depth is prefetched before any is used. A stack
 * sharing its first frames with the one before takes that one's nodes,
 * resolved just before it at the same depth. */
static int walk(struct fg_tree *t, const struct fg_queued *q, unsigned n, const uint32_t *names)
{
	uint32_t node[FG_WALK] = { 0 }, pos[FG_WALK], depth, maxn = 0;
	uint32_t shared[FG_WALK];
	unsigned s;
	int err;

	for (s = 0; s < n; s++) {
		shared[s] = s ? q[s].shared : 0; /* the one before is not in this walk */
		if (q[s].n > maxn)
			maxn = q[s].n;
	}
	for (depth = 0; depth < maxn; depth++) {
		for (s = 0; s < n; s++) {
			if (depth >= q[s].n || depth < shared[s])
				continue;
			pos[s] = fg_tree_slot_hash(node[s], names[q[s].off + depth]) &
				 (t->slots_cap - 1);
			__builtin_prefetch(&t->slots[pos[s]]);
		}
		for (s = 0; s < n; s++)
			if (depth < q[s].n && depth >= shared[s] && t->slots[pos[s]])
				__builtin_prefetch(&t->nodes[t->slots[pos[s]] - 1]);
		for (s = 0; s < n; s++) {
			if (depth >= q[s].n)
				continue;
			if (depth < shared[s]) {
				node[s] = node[s - 1];
				continue;
			}
			err = fg_tree_child(t, node[s], names[q[s].off + depth], &node[s]);
			if (err)
				return err;
		}
	}
	for (s = 0; s < n; s++)
		t->value[q[s].side][node[s]] += q[s].count;
	return 0;
}

static int add_batch(struct fg_tree *t, struct fg_batch *b)
{
	unsigned i;
	int err = 0;

	for (i = 0; i < b->n && !err; i += FG_WALK)
		err = walk(t, b->q + i, b->n - i < FG_WALK ? b->n - i : FG_WALK, b->names);
	b->n = 0;
	b->len = 0;
	return err;
}

static void *worker_main(void *arg)
{
	struct fg_tree *t = arg;
	struct fg_worker *w = t->worker;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct fg_batch *b;
		int err;

		while (!w->todo && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->todo)
			break;
		b = w->todo;
		pthread_mutex_unlock(&w->mu);
		err = add_batch(t, b);
		pthread_mutex_lock(&w->mu);
		if (err && !w->err)
			w->err = err;
		w->todo = NULL;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* A worker when a second CPU can run it; false: add inline. */
static bool start_worker(struct fg_tree *t)
{
	struct fg_worker *w;

	if (t->worker)
		return true;
	if (!fg_tree__may_thread(t))
		goto serial;
	w = calloc(1, sizeof(*w));
	if (!w)
		goto serial;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	t->worker = w;
	if (fg_thread_start(&w->thread, worker_main, t) == 0)
		return true;
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
	t->worker = NULL;
serial:
	t->no_worker = true;
	return false;
}

/* Waits until the worker has added what it was given. Its error, or 0. */
static int wait_idle(struct fg_worker *w)
{
	int err;

	pthread_mutex_lock(&w->mu);
	while (w->todo)
		pthread_cond_wait(&w->cv, &w->mu);
	err = w->err;
	pthread_mutex_unlock(&w->mu);
	return err;
}

int fg_tree_handoff(struct fg_tree *t)
{
	struct fg_worker *w;
	int err;

	if (!t->fill->n)
		return 0;
	if (!start_worker(t))
		return add_batch(t, t->fill);
	w = t->worker;
	/* The other batch is free once the worker is done with it. */
	err = wait_idle(w);
	if (err)
		return err;
	pthread_mutex_lock(&w->mu);
	w->todo = t->fill;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	t->fill = t->fill == &t->batch[0] ? &t->batch[1] : &t->batch[0];
	return 0;
}

int fg_tree_drain(struct fg_tree *t)
{
	int err = fg_tree_handoff(t);

	if (!err && t->worker)
		err = wait_idle(t->worker);
	return err;
}

int fg_tree_reserve(struct fg_tree *t, size_t n)
{
	struct fg_batch *b = t->fill;
	size_t cap = b->cap ? b->cap : 16384;
	uint32_t *names;

	if (b->names && b->len + n <= b->cap)
		return 0;
	while (cap < b->len + n)
		cap *= 2;
	names = realloc(b->names, cap * sizeof(*names));
	if (!names)
		return -ENOMEM;
	b->names = names;
	b->cap = cap;
	return 0;
}

void fg_tree_free_batches(struct fg_tree *t)
{
	struct fg_worker *w = t->worker;

	if (w) {
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w);
		t->worker = NULL;
	}
	free(t->batch[0].names);
	free(t->batch[1].names);
	memset(t->batch, 0, sizeof(t->batch));
}
