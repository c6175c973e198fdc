from django.http import HttpResponse


def stage_list(request):
    return HttpResponse("stages")
