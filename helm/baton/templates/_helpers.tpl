{{/* The release's full name, used for every object the chart creates. */}}
{{- define "baton.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "baton.serviceAccountName" -}}
{{- default (include "baton.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "baton.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "baton.labels" -}}
{{ include "baton.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "baton.image" -}}
{{- $repo := .Values.image.repository -}}
{{- if .Values.image.registry -}}{{- $repo = printf "%s/%s" .Values.image.registry $repo -}}{{- end -}}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
The rules Baton needs, and no more: it reads its BatonApps and writes their status; it applies
and deletes the Deployments and ControllerRevisions of each version; it applies Services; it
watches pods (readiness) and ConfigMaps and Secrets (a digest of referenced content), and reads a
Secret named by an app's webhook urlFrom or by an analysis provider's credentials; it
reads analysis templates; it applies the role Services of the data tier and the
EndpointSlices of endpoints given by IP; it records Events.
*/}}
{{- define "baton.rules" -}}
- apiGroups: [baton.dev]
  resources: [batonapps]
  verbs: [get, list, watch, patch]
- apiGroups: [baton.dev]
  resources: [batonapps/status]
  verbs: [patch]
# Analysis templates: read only (analysis state lives in the BatonApp's status).
- apiGroups: [baton.dev]
  resources: [batonanalysistemplates]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments, controllerrevisions]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [services]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [pods, configmaps]
  verbs: [list, watch]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [get, list, watch, create, patch, delete]
# Migration Jobs: created once, never updated; deleted when their revision leaves the history.
# With shards, an app that changes shards has its Jobs relabelled for the new one (patch).
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, delete{{ if gt (int .Values.sharding.shards) 1 }}, patch{{ end }}]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
# Traffic providers: Ingresses (nginx), HTTPRoutes (Gateway API), Traefik's weighted services.
- apiGroups: [networking.k8s.io]
  resources: [ingresses]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [traefik.io]
  resources: [traefikservices, ingressroutes]
  verbs: [get, list, watch, create, patch, delete]
{{- end -}}
