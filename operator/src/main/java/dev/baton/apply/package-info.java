/**
 * What writes: a plan's rendered children, wave by wave, with server-side apply under Baton's
 * field manager (skipping writes whose digest is unchanged), then the deletions the render asks
 * for; and Events. Appliers never decide: they carry out a rendering.
 */
package dev.baton.apply;
