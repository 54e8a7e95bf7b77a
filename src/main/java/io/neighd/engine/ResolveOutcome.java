package io.neighd.engine;

/** How a resolution request ended: the entry became valid, failed, was removed, or could not be made. */
public enum ResolveOutcome { VALID, FAILED, GONE, TABLE_FULL }
