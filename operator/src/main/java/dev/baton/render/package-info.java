/**
 * Render: from a decided {@link dev.baton.planning.Plan} to every child object the app should
 * have, in ordered waves, and the Baton-labelled objects that go. Pure: no client, no cache; what
 * the caches hold is passed in as plain data ({@link dev.baton.render.AppChildren}). The operator's
 * applier writes a {@link dev.baton.render.Rendering} and decides nothing.
 */
package dev.baton.render;
