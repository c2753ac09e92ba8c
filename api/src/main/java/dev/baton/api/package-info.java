/**
 * What clients of Baton build on: the names of the objects, labels and command annotations Baton
 * uses. The model itself is in {@link dev.baton.api.v1alpha1}.
 */
package dev.baton.api;
